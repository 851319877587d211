"""Small pieces the .qdpx writer shares: stable GUIDs by kind. The text XML can hold
(``xml_text``, ``excerpt``) lives with the REFI-QDA records in ``core.records.refi``."""

from __future__ import annotations

import uuid

from thematic_workbench.io.refi.common import stable_guid


class Guids:
    """``guids("coding", 12)``: the same GUID for the same row in every export."""

    def __init__(self, namespace: uuid.UUID) -> None:
        self.namespace = namespace

    def __call__(self, kind: str, entity_id: int | str | None) -> str:
        return stable_guid(self.namespace, kind, "" if entity_id is None else entity_id)
