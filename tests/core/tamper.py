"""Tampering with a closed project's audit trail the way a determined forger would: straight
through SQLite, dropping the guarding triggers and putting them back afterwards, and
recomputing every hash so that the chain alone still verifies."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from thematic_workbench.core.storage.audit import (
    GENESIS_HASH,
    event_hash,
    event_hash_v2,
    payload_digest,
)
from thematic_workbench.core.timestamps import utc_now

_COLUMNS = ("seq", "at", "coder", "phase", "action", "entity_kind", "entity_id",
            "before_json", "after_json", "hash_version", "payload_sha256")


class Forger:
    """A writable connection with the audit triggers lifted until :meth:`close`."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self._triggers = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in self._triggers:
            self.conn.execute(f"DROP TRIGGER {name}")

    def close(self) -> None:
        for _name, sql in self._triggers:
            self.conn.execute(sql)
        self.conn.close()

    def __enter__(self) -> Forger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def last_seq(self) -> int:
        return self.conn.execute("SELECT max(seq) FROM audit_event").fetchone()[0]

    def at_of(self, seq: int) -> str:
        return self.conn.execute("SELECT at FROM audit_event WHERE seq = ?", (seq,)).fetchone()[0]

    def recompute_from(self, start: int) -> None:
        """Give every event from ``start`` on a valid link and hash again."""
        row = self.conn.execute("SELECT hash FROM audit_event WHERE seq = ?",
                                (start - 1,)).fetchone()
        prev = row[0] if row else GENESIS_HASH
        rows = self.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM audit_event "
                                 "WHERE seq >= ? ORDER BY seq", (start,)).fetchall()
        for values in rows:
            *fields, before, after, version, payload = values
            digest = (event_hash(*fields, before, after, prev) if version == 1 else
                      event_hash_v2(*fields, payload, prev))
            self.conn.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE seq = ?",
                              (prev, digest, values[0]))
            prev = digest

    def delete_newest(self, count: int) -> None:
        self.conn.execute("DELETE FROM audit_event WHERE seq > ?", (self.last_seq() - count,))

    def edit(self, seq: int, after_json: str) -> None:
        """Change what an event recorded (and its payload digest), then recompute the chain
        from it."""
        before = self.conn.execute("SELECT before_json FROM audit_event WHERE seq = ?",
                                   (seq,)).fetchone()[0]
        self.conn.execute("UPDATE audit_event SET after_json = ?, payload_sha256 = "
                          "CASE hash_version WHEN 1 THEN NULL ELSE ? END WHERE seq = ?",
                          (after_json, payload_digest(before, after_json), seq))
        self.recompute_from(seq)

    def delete_and_renumber(self, seq: int) -> None:
        """Remove an event, close the gap and recompute: the chain verifies again."""
        self.conn.execute("DELETE FROM audit_event WHERE seq = ?", (seq,))
        self.conn.execute("UPDATE audit_event SET seq = -(seq - 1) WHERE seq > ?", (seq,))
        self.conn.execute("UPDATE audit_event SET seq = -seq WHERE seq < 0")
        self.recompute_from(seq)

    def insert(self, seq: int, at: str, action: str = "coding.remove") -> None:
        """Put a made-up event at ``seq`` (later ones move up) and recompute the chain."""
        self.conn.execute("UPDATE audit_event SET seq = -(seq + 1) WHERE seq >= ?", (seq,))
        self.conn.execute("UPDATE audit_event SET seq = -seq WHERE seq < 0")
        self.conn.execute(
            "INSERT INTO audit_event (seq, at, coder, phase, action, entity_kind, entity_id, "
            "before_json, after_json, prev_hash, hash) VALUES (?, ?, 'Mallory', 1, ?, "
            "'coding', 99, NULL, '{\"forged\":true}', '', '')", (seq, at, action))
        self.recompute_from(seq)

    def append(self, at: str | None = None) -> int:
        """A made-up event at the end with a valid link and hash; returns its sequence."""
        seq = self.last_seq() + 1
        self.insert(seq, at or utc_now())
        return seq
