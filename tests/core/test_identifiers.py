"""Identifier candidates (core/finding/identifiers.py): a transcript seeded with names,
titles, places, organisations, dates, phone numbers, e-mail addresses, a postcode and NHS
numbers gives exactly the candidates a researcher would list, and nothing else."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, update

from tests.core.helpers_docs import imported
from thematic_workbench.core.finding.identifier_patterns import nhs_number_valid, shaped_matches
from thematic_workbench.core.finding.identifiers import (
    FOUND,
    KEY,
    LIST,
    IdentifierCandidate,
    find_identifiers,
    key_coverage,
)
from thematic_workbench.core.finding.whole_words import WholeWords, lowered
from thematic_workbench.core.records.pseudonyms import PseudonymEntry
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Document, Line
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns

SEEDED = (
    "INTERVIEWER: Thank you for coming in. Could you tell me about your work?\n"
    "PA: The first post I had was at Rampton Secure Hospital, then I moved to HMP Wakefield "
    "in 2015. My supervisor was Dr Smith, and later Mrs O'Brien took over. Honestly John "
    "Carter was the best manager I had; he came from Harrogate.\n"
    "INTERVIEWER: And the court work?\n"
    "PA: We went to Court most weeks, honestly, usually to Leeds Crown Court. The court in "
    "Leeds is a grim place. I trained at the University of York. Harrogate is nicer.\n"
    "INTERVIEWER: How can people reach you?\n"
    "PA: On 07700 900123 at work, 0113 496 0000 at the clinic, or +44 7700 900456. My "
    "e-mail is jane.doe@example.org and the clinic is at LS1 4AB.\n"
    "INTERVIEWER: Did you keep records?\n"
    "PA: His NHS number was 943 476 5919; the other one, 943 476 5918, was a typo. He was "
    "admitted on 12/03/2021, discharged 30 April 2021, reviewed in March 2022 and again on "
    "2022-06-30. Dr Smith signed it off.\n"
)

# (text, kind, count), in the order they first occur
EXPECTED = [
    ("Rampton Secure Hospital", "organisation", 1),
    ("HMP Wakefield", "organisation", 1),
    ("Dr Smith", "person", 2),
    ("Mrs O'Brien", "person", 1),
    ("John Carter", "person", 1),
    ("Harrogate", "place", 2),  # also where it opens a sentence
    ("Leeds Crown Court", "organisation", 1),
    ("Leeds", "place", 1),  # not counted again inside Leeds Crown Court
    ("University of York", "organisation", 1),
    ("07700 900123", "contact", 1),
    ("0113 496 0000", "contact", 1),
    ("+44 7700 900456", "contact", 1),
    ("jane.doe@example.org", "contact", 1),
    ("LS1 4AB", "contact", 1),
    ("943 476 5919", "other", 1),
    ("12/03/2021", "date", 1),
    ("30 April 2021", "date", 1),
    ("March 2022", "date", 1),
    ("2022-06-30", "date", 1),
]


def _add(store: ProjectStore, text: str, name: str, participant: str) -> None:
    document = imported(text, name)
    with store.transaction("alice") as tx:
        import_document(tx, replace(document, turns=tuple(detect_turns(document.text))),
                        participant=participant)


def _found(store: ProjectStore, **given: object) -> list[IdentifierCandidate]:
    with store.read() as session:
        return find_identifiers(session, **given)  # type: ignore[arg-type]


@pytest.fixture
def seeded(store: ProjectStore) -> ProjectStore:
    _add(store, SEEDED, "PA interview", "PA")
    return store


def test_the_seeded_transcript_gives_exactly_these_candidates(seeded: ProjectStore) -> None:
    found = _found(seeded)
    assert [(c.text, c.kind, c.count) for c in found] == EXPECTED
    assert {c.document for c in found} == {"PA interview"}
    assert {c.source for c in found} == {FOUND}


def test_what_is_not_a_candidate(seeded: ProjectStore) -> None:
    texts = {candidate.text for candidate in _found(seeded)}
    assert "The" not in texts  # opens sentences only
    assert "Court" not in texts  # "court" is said in lower case: a common word
    assert "Honestly" not in texts and "Honestly John Carter" not in texts  # said as "honestly"
    assert not {"INTERVIEWER", "PA"} & texts  # speaker labels
    assert "943 476 5918" not in texts  # its check digit is wrong
    assert "NHS" not in texts and "2015" not in texts and "March" not in texts
    assert not any(" 5918" in text or text == "Hospital" for text in texts)


def test_positions_are_the_words_and_lines_are_the_stable_numbers(seeded: ProjectStore) -> None:
    with seeded.transaction("alice") as tx:  # line numbers with gaps, as after a text edit
        tx.session.execute(update(Line).values(number=Line.number * 10 + 7))
    with seeded.read() as session:
        text = session.execute(select(Document.text)).scalar_one()
        lines = session.execute(select(Line.start, Line.end, Line.number)).all()
        found = find_identifiers(session)
    for candidate in found:
        for place in candidate.positions:
            assert lowered(text[place.start:place.end]) == lowered(candidate.text)
            assert place.line == next(number for start, end, number in lines
                                      if start <= place.start < max(end, start + 1))
        assert candidate.line == candidate.positions[0].line
        assert candidate.count == len(candidate.positions)
    smith = next(c for c in found if c.text == "Dr Smith")
    assert [text[p.start:p.end] for p in smith.positions] == ["Dr Smith", "Dr Smith"]
    assert smith.line is not None and smith.line % 10 == 7


def test_counts_run_across_transcripts_in_the_documents_order(store: ProjectStore) -> None:
    _add(store, "INTERVIEWER: Where?\nPB: Near Harrogate, with Dr Smith. DR SMITH agreed.\n",
         "PB interview", "PB")
    _add(store, SEEDED, "PA interview", "PA")
    found = {candidate.text: candidate for candidate in _found(store)}
    assert found["Dr Smith"].count == 4  # any case, in both transcripts
    assert found["Dr Smith"].document == "PA interview"  # PA is listed before PB
    assert found["Harrogate"].count == 3
    assert [p.document for p in found["Harrogate"].positions] == \
        ["PA interview", "PA interview", "PB interview"]


def test_titles_name_people_even_where_the_name_is_a_common_word(store: ProjectStore) -> None:
    _add(store, "PA: The brown folder was Mr Brown's. Rampton Secure Hospital took it.\n"
                "PA: Ms Rose and the rose garden.\n"
                "PA: Afterwards Dr Okafor came. Yesterday Mrs Patel Khan phoned.\n",
         "PA interview", "PA")
    found = [(c.text, c.kind) for c in _found(store)]
    assert found == [("Mr Brown", "person"), ("Rampton Secure Hospital", "organisation"),
                     ("Ms Rose", "person"), ("Dr Okafor", "person"),
                     ("Mrs Patel Khan", "person")]  # not the sentence's first word


def test_the_key_and_the_users_list_are_looked_for_in_every_transcript(
        seeded: ProjectStore) -> None:
    key = [PseudonymEntry("Wakefield", "Northtown", "place"),
           PseudonymEntry("grim", "bleak", "other"),
           PseudonymEntry("Nowhere Else", "X", "place")]
    found = {c.text: c for c in _found(seeded, key=key, word_list=["trained", "Harrogate"])}
    assert (found["grim"].kind, found["grim"].source, found["grim"].count) == ("other", KEY, 1)
    assert (found["trained"].kind, found["trained"].source) == ("other", LIST)
    assert (found["Harrogate"].kind, found["Harrogate"].source) == ("place", FOUND)
    assert "Wakefield" not in found  # only inside HMP Wakefield, which the key covers
    assert "Nowhere Else" not in found  # not in any transcript
    covers = key_coverage(key)
    assert [text for text in found if covers(text)] == ["HMP Wakefield", "grim"]


def test_key_coverage() -> None:
    covers = key_coverage([PseudonymEntry("Smith", "Jones", "person"),
                           PseudonymEntry("jane.doe@example.org", "x@y.org", "contact")])
    assert covers("Dr Smith") and covers("SMITH") and covers("Jane.Doe@example.org")
    assert not covers("John Smith") and not covers("Smithson") and not covers("Leeds")


@pytest.mark.parametrize(("number", "valid"), [
    ("9434765919", True), ("9434765918", False), ("4010232137", True), ("4010232138", False),
    ("123456789", False), ("1234567890", False)])
def test_nhs_check_digit(number: str, valid: bool) -> None:
    assert nhs_number_valid(number) is valid


@pytest.mark.parametrize(("text", "shapes"), [
    ("call 020 7946 0000 now", ["020 7946 0000"]),
    ("call (0113) 496 0000", ["(0113) 496 0000"]),
    ("call +44 (0)113 496 0000", ["+44 (0)113 496 0000"]),
    ("a code 0113 49 ends", []),  # too few digits
    ("on 31/13/2021 or 12.3.21 or 1999-02-28 or 2021-13-01", ["12.3.21", "1999-02-28"]),
    ("the 3rd of May, May 3rd, 2020 and Sept. 2019", ["3rd of May", "May 3rd, 2020",
                                                       "Sept. 2019"]),
    ("May I ask? In Mayfield 2020 it was.", []),
    ("SW1A 1AA and M1 1AE, not ab1 2cd", ["SW1A 1AA", "M1 1AE"]),
    ("write to a.b+c@mail.example.co.uk.", ["a.b+c@mail.example.co.uk"]),
    ("version 1.2.3 and 3/4 of it", []),
])
def test_shapes(text: str, shapes: list[str]) -> None:
    assert [text[m.start:m.end] for m in shaped_matches(text)] == shapes


def test_whole_words_longest_first_in_any_case() -> None:
    finder = WholeWords(["Smith", "Dr Smith", "Dr", "Leeds"])
    text = "DR SMITH met Smithson and smith in Leeds-based Dr. Leeds"
    hits = [text[start:end] for start, end, _string in finder.find(lowered(text))]
    assert hits == ["DR SMITH", "smith", "Leeds", "Dr", "Leeds"]
