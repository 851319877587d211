"""Signed anchors: the audit chain's head signed with a coder's Ed25519 key.

A supervisor's phase sign-off and every snapshot sign the head (sequence and hash) as it
stands once their own event is written. The signature is over a fixed, versioned message
(:func:`anchor_message`), so it cannot be moved to another head, time or coder. Whoever
rewrites the trail up to an anchored event, even recomputing every hash, cannot make the
anchored hash match again without the signer's private key, which never leaves the signer's
machine (core/trail/keys.py). The public keys are stored in the project and announced in the
trail itself (a ``coder.key`` event), so replacing a key shows there too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.storage.models import AuditAnchor, Coder, CoderKey
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.timestamps import utc_now
from thematic_workbench.core.trail import keys

ANCHOR_FORMAT = "thematic-workbench-anchor/1"
ANCHOR_WORDS = {"sign_off": "sign-off", "snapshot": "snapshot"}


def anchor_message(kind: str, entity_id: int | None, seq: int, head_hash: str,
                   created_at: str, coder_name: str, public_key: str) -> bytes:
    """Exactly the bytes an anchor's signature covers."""
    fields = [ANCHOR_FORMAT, kind, entity_id, seq, head_hash, created_at, coder_name,
              public_key]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signing_key_fingerprint(tx: Tx) -> str:
    """Make sure the acting coder has a key here and the project knows its public half.

    A key new to the project is recorded (``coder.key``, in this transaction); returns its
    fingerprint. Call before writing the event to be anchored, so that event is the head.
    """
    public = keys.public_hex(keys.load_or_create(tx.coder_name))
    known = tx.session.execute(
        select(CoderKey.coder_id).where(CoderKey.public_key == public)).scalar_one_or_none()
    if known is None:
        tx.session.add(CoderKey(coder_id=tx.coder_id, public_key=public))
        tx.session.flush()
        tx.audit("coder.key", "coder", tx.coder_id,
                 after={"name": tx.coder_name, "public_key": public,
                        "fingerprint": keys.fingerprint(public)})
    elif known != tx.coder_id:
        raise InvariantError(f"the signing key on this machine for {tx.coder_name} is "
                             "registered to another coder of this project")
    return keys.fingerprint(public)


def anchor_head(tx: Tx, kind: str, entity_id: int | None) -> AuditAnchor:
    """Sign the chain head as this transaction leaves it, for the sign-off or snapshot."""
    key = keys.load_or_create(tx.coder_name)
    public = keys.public_hex(key)
    seq, head_hash = tx.audit_writer.head
    created_at = utc_now()
    message = anchor_message(kind, entity_id, seq, head_hash, created_at, tx.coder_name, public)
    anchor = AuditAnchor(kind=kind, entity_id=entity_id, seq=seq, head_hash=head_hash,
                         coder_id=tx.coder_id, public_key=public,
                         signature=key.sign(message).hex(), created_at=created_at)
    tx.session.add(anchor)
    tx.session.flush()
    return anchor


@dataclass(frozen=True)
class AnchorView:
    """An anchor as plain values, with its signer's name (for checks and exports)."""

    id: int
    kind: str
    entity_id: int | None
    seq: int
    head_hash: str
    coder: str
    public_key: str
    signature: str
    created_at: str

    @property
    def message(self) -> bytes:
        return anchor_message(self.kind, self.entity_id, self.seq, self.head_hash,
                              self.created_at, self.coder, self.public_key)

    @property
    def label(self) -> str:
        """``the snapshot 3 signed by Ana at event 41``."""
        what = ANCHOR_WORDS.get(self.kind, self.kind)
        number = "" if self.entity_id is None else f" {self.entity_id}"
        return f"the {what}{number} signed by {self.coder} at event {self.seq}"


def list_anchors(session: Session) -> list[AnchorView]:
    """Every anchor, oldest first."""
    rows = session.execute(select(AuditAnchor, Coder.name)
                           .join(Coder, Coder.id == AuditAnchor.coder_id)
                           .order_by(AuditAnchor.seq, AuditAnchor.id))
    return [AnchorView(a.id, a.kind, a.entity_id, a.seq, a.head_hash, name, a.public_key,
                       a.signature, a.created_at) for a, name in rows]


def registered_keys(session: Session) -> dict[str, str]:
    """Public key (hex) -> the name of the coder it belongs to."""
    rows = session.execute(select(CoderKey.public_key, Coder.name)
                           .join(Coder, Coder.id == CoderKey.coder_id))
    return {public: name for public, name in rows}
