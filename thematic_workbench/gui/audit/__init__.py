"""The audit trail in the window: the panel, its filter bar and its table model."""
