"""Small pieces the .qdpx writer shares: stable GUIDs by kind, text XML can hold."""

from __future__ import annotations

import re
import uuid

from thematic_workbench.io.refi.common import stable_guid

# XML 1.0 cannot hold most control characters, nor lone surrogates, nor U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EXCERPT_LENGTH = 60


class Guids:
    """``guids("coding", 12)``: the same GUID for the same row in every export."""

    def __init__(self, namespace: uuid.UUID) -> None:
        self.namespace = namespace

    def __call__(self, kind: str, entity_id: int | str | None) -> str:
        return stable_guid(self.namespace, kind, "" if entity_id is None else entity_id)


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document cannot carry."""
    return _NOT_XML.sub("", text)


def excerpt(text: str) -> str:
    """A selection's name: its first words on one line, as other tools show quotations."""
    flat = " ".join(xml_text(text).split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[:EXCERPT_LENGTH - 1].rstrip() + "…"
