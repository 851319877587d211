"""The participants' real names as key entries: the whole name and each part become the
participant's label, a title is not a part, and a part two participants share is left to
their whole names. Applied, they leave no part of a participant's name in the transcript."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.core.helpers_docs import imported
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.finding.identifiers import participant_name_entries
from thematic_workbench.core.records.pseudonyms import PseudonymEntry
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.pseudonymise import pseudonymise
from thematic_workbench.core.storage.models import Document
from thematic_workbench.core.storage.store import ProjectStore


def test_whole_name_and_parts_become_the_label() -> None:
    entries = participant_name_entries({"P03": "  Sarah   Jones ", "P04": "Dr. Ann Lee",
                                        "P05": "Tom Lee", "P06": "", "P07": "Madonna"})
    assert entries == [
        PseudonymEntry("Sarah Jones", "[P03]", "person"),
        PseudonymEntry("Dr. Ann Lee", "[P04]", "person"),
        PseudonymEntry("Tom Lee", "[P05]", "person"),
        PseudonymEntry("Madonna", "[P07]", "person"),
        PseudonymEntry("Sarah", "[P03]", "person"),
        PseudonymEntry("Jones", "[P03]", "person"),
        PseudonymEntry("Ann", "[P04]", "person"),
        PseudonymEntry("Tom", "[P05]", "person"),
    ]  # "Lee" is both P04's and P05's: only their whole names say whose


def test_applied_no_part_of_the_name_is_left(tmp_path: Path) -> None:
    text = ("INTERVIEWER: Thanks for coming, Sarah.\n"
            "P03: No problem. Ms Jones is what the clients call me; Sarah Jones on paper.\n")
    with ProjectStore.create(tmp_path / "s.thematic", coder="alice") as store:
        with store.transaction("alice") as tx:
            import_document(tx, imported(text, "P03")).new_id(Kind.DOCUMENT)
        with store.transaction("alice") as tx:
            report, _change = pseudonymise(tx, participant_name_entries({"P03": "Sarah Jones"}))
        with store.read() as session:
            after = session.execute(select(Document.text)).scalar_one()
    assert report.total == 3  # Sarah, Jones, Sarah Jones
    assert after == ("INTERVIEWER: Thanks for coming, [P03].\n"
                     "P03: No problem. Ms [P03] is what the clients call me; [P03] on paper.")
