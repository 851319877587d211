"""The ``autocode`` verb: what it prints, the rows it writes, and one-line refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.cli.conftest import Run
from thematic_workbench.core.storage.models import AuditEvent, Code, Coding, Document
from thematic_workbench.core.storage.store import ProjectStore

PA = ("Interviewer: Tell me about risk.\n"
      "PA: Risk is part of the job. I take risks every day. Supervision helps.\n"
      "Interviewer: And at home?\n"
      "PA: At home there is no risk.\n")
PB = "Interviewer: Any risk?\nPB: None that I can see.\n"


@pytest.fixture
def project(tmp_path: Path, cli: Callable[..., Run]) -> Path:
    path = tmp_path / "study.thematic"
    assert cli("new", str(path)).code == 0
    for name, text in (("PA interview", PA), ("PB interview", PB)):
        source = tmp_path / f"{name}.txt"
        source.write_text(text, encoding="utf-8")
        assert cli("import", str(path), str(source)).code == 0
    return path


@pytest.fixture
def autocode(cli: Callable[..., Run]) -> Callable[..., Run]:
    """``thematic-workbench autocode ...`` through ``cli.main``."""
    return lambda *argv: cli("autocode", *argv)


def _codings(project: Path, code: str) -> list[tuple[str, str]]:
    """(document, coded text) of a code's codings, in text order."""
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        rows = session.execute(
            select(Document.name, Document.text, Coding.start, Coding.end)
            .join(Coding, Coding.document_id == Document.id)
            .join(Code, Code.id == Coding.code_id).where(Code.name == code)
            .order_by(Document.name, Coding.start)).all()
    return [(row.name, row.text[row.start:row.end]) for row in rows]


def test_search_hits_coded_by_sentence_and_counted(autocode: Callable[..., Run],
                                                   project: Path) -> None:
    run = autocode(str(project), "Risk talk", "--search", "risk", "--unit", "sentence")
    assert run.code == 0, run.err
    assert run.out == "coded 4 passages in 2 transcripts with 'Risk talk' (a new code)\n"
    assert _codings(project, "Risk talk") == [
        ("PA interview", "Tell me about risk."),
        ("PA interview", "Risk is part of the job."),
        ("PA interview", "At home there is no risk."),
        ("PB interview", "Any risk?")]
    again = autocode(str(project), "risk TALK", "--search", "risk*", "--unit", "sentence")
    assert again.code == 0, again.err
    assert again.out == ("coded 1 passage in 1 transcript with 'Risk talk'; "
                         "3 passages already coded\n")
    # "risks" joins the sentence before it: neighbouring sentences become one passage
    assert ("PA interview", "Risk is part of the job. I take risks every day.") in _codings(
        project, "Risk talk")
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert actions.count("coding.autocode") == 2


def test_speaker_turns_in_one_document(autocode: Callable[..., Run], project: Path) -> None:
    run = autocode(str(project), "Prompt", "--speaker", "INTERVIEWER", "--document",
                   "PA interview")
    assert run.code == 0, run.err
    assert run.out == "coded 2 passages in 1 transcript with 'Prompt' (a new code)\n"
    assert _codings(project, "Prompt") == [("PA interview", "Tell me about risk."),
                                           ("PA interview", "And at home?")]


def test_nothing_matched_says_so_and_makes_no_code(autocode: Callable[..., Run],
                                                   project: Path) -> None:
    run = autocode(str(project), "Zebras", "--search", "zebra")
    assert run.code == 0, run.err
    assert run.out == "nothing to code: no hits for 'zebra'\n"
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        assert session.execute(select(Code).where(Code.name == "Zebras")).first() is None


@pytest.mark.parametrize(("argv", "message"), [
    (("--speaker", "PC"), "no speaker labelled 'PC'"),
    (("--search", "risk", "--unit", "paragraph"),
     "unknown --unit 'paragraph'; use one of hit, sentence, line, turn"),
    (("--speaker", "PA", "--forms"), "--forms goes with --search, not with --speaker"),
    (("--speaker", "PA", "--unit", "line"), "--speaker codes whole turns"),
    (("--search", "risk", "--document", "PZ"), "no document named 'PZ'"),
])
def test_bad_input_is_one_line_and_exit_1(autocode: Callable[..., Run], project: Path,
                                          argv: tuple[str, ...], message: str) -> None:
    run = autocode(str(project), "Anything", *argv)
    assert run.code == 1
    assert run.out == ""
    assert len(run.err.splitlines()) == 1 and message in run.err
    assert _codings(project, "Anything") == []
