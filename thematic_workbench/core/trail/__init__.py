"""The audit trail read back: filtered rows, verification of the chain, signed anchors and
the coders' keys."""
