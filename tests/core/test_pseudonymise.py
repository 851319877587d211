"""Applying a pseudonym key: every occurrence of every real string goes, everywhere in the
project (the audit trail's payloads erased: see also test_redaction.py), codings stay on
their words, the same person gets the same pseudonym, and a dry run changes nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text

from tests.core.helpers_docs import imported
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services import annotations, codes, codings, diary, review
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.pseudonymise import Replacer, pseudonymise
from thematic_workbench.core.services.snapshots import create_snapshot
from thematic_workbench.core.storage.audit import verify_chain
from thematic_workbench.core.storage.models import Base, Code, Coding, Document
from thematic_workbench.core.storage.store import ProjectStore

PA = ("INTERVIEWER: Who referred you?\n"
      "PA: Judge Harris sent me from Leeds. Annual reviews with Dr Ann Kerr help.\n")
PB = "PB: Ann Kerr was my supervisor too, at Rampton.\n"


@dataclass(frozen=True)
class Entry:
    real: str
    pseudonym: str
    kind: str


KEY = [Entry("Harris", "[Judge J1]", "person"), Entry("Leeds", "[City C1]", "place"),
       Entry("Ann Kerr", "[Clinician K1]", "person"), Entry("Rampton", "[Hospital H1]",
                                                              "organisation")]
REALS = ("Harris", "Leeds", "Ann Kerr", "Rampton")


@pytest.fixture
def study(store: ProjectStore) -> ProjectStore:
    with store.transaction("Ana") as tx:
        pa = import_document(tx, imported(PA, "PA")).new_id(Kind.DOCUMENT)
        pb = import_document(tx, imported(PB, "PB")).new_id(Kind.DOCUMENT)
        for document, source, phrase, name in (
                (pa, PA, "Judge Harris sent me from Leeds", "Mandated"),
                (pa, PA, "Dr Ann Kerr help", "\"Ann Kerr help\""),
                (pb, PB, "Ann Kerr was my supervisor too", "Shared supervision")):
            code = codes.create_code(tx, name).new_id(Kind.CODE)
            start = source.index(phrase)
            codings.apply_coding(tx, document, code, start, start + len(phrase),
                                 memo="Harris again" if name == "Mandated" else "")
        annotations.add_annotation(tx, pb, 0, 2, "same Ann Kerr as in PA?")
        diary.add_entry(tx, "Leeds came up twice.", title="Rampton")
        review.add_comment(tx, "document", pa, "Check Harris is the judge")
        create_snapshot(tx, "Before Ann Kerr's interview")
    return store


def _rows(store: ProjectStore) -> list[str]:
    """Every text value in the project, the audit trail included."""
    found = []
    with store.read() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(text(f"SELECT * FROM {table.name}")):
                found += [value for value in row if isinstance(value, str)]
    return found


def test_the_key_replaces_every_real_string_and_keeps_codings(study: ProjectStore) -> None:
    with study.transaction("Ana") as tx:
        report, _change = pseudonymise(tx, KEY)
    values = _rows(study)
    for real in REALS:
        assert not [v for v in values if real in v], real
    assert any("[Clinician K1]" in v for v in values)
    assert "Annual reviews" in " ".join(values)  # "Ann" alone is no key entry, and no word
    with study.read() as session:
        texts = dict(session.execute(select(Document.name, Document.text)).all())
        coded = sorted(texts["PA" if d == 1 else "PB"][s:e] for d, s, e in session.execute(
            select(Coding.document_id, Coding.start, Coding.end)))
        names = set(session.execute(select(Code.name)).scalars())
        assert verify_chain(session).intact
    assert coded == ["Dr [Clinician K1] help", "Judge [Judge J1] sent me from [City C1]",
                     "[Clinician K1] was my supervisor too"]
    assert "\"[Clinician K1] help\"" in names
    assert report.transcripts == {"PA": 3, "PB": 2}
    assert report.by_entry == {1: 3, 2: 2, 3: 6, 4: 2}
    assert report.trail_erased > 0  # code names, memos, notes, the diary, the snapshot
    assert report.lines()[-1].startswith(f"erased the payloads of {report.trail_erased} audit")


def test_a_dry_run_counts_and_changes_nothing(study: ProjectStore) -> None:
    before = _rows(study)
    with study.transaction("Ana") as tx:
        report, change = pseudonymise(tx, KEY, dry_run=True)
    assert report.total > 0 and change.empty
    assert report.lines()[0].startswith("would replace")
    assert _rows(study) == before


def test_a_key_line_without_a_pseudonym_is_refused(study: ProjectStore) -> None:
    with study.transaction("Ana") as tx, pytest.raises(InvariantError, match="key line 2"):
        pseudonymise(tx, [KEY[0], Entry("Leeds", " ", "place")])


def test_a_name_is_found_in_capitals_but_not_as_a_lower_case_word() -> None:
    replacer = Replacer([Entry("Rose", "[R1]", "person"), Entry("Ann Kerr", "[K1]", "person"),
                         Entry("ann@example.org", "[E1]", "contact")])
    counts: Counter[int] = Counter()
    said = replacer.replace("ROSE said the sun rose. Rose met ANN KERR (Ann@Example.org); "
                            "Annual Kerrigan.", counts)
    assert said == "[R1] said the sun rose. [R1] met [K1] ([E1]); Annual Kerrigan."
    assert counts == Counter({1: 2, 2: 1, 3: 1})
