"""After ``pseudonymise`` no real string of the key is left anywhere in the project file's
bytes: not in the texts, names, memos, notes or diary, not in the audit trail's payloads
(erased through recorded redactions), the search index, free pages or the log. The trail
still verifies, with its signed anchors, and lists what was erased; every coding stays on its
words."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from tests.cli.conftest import Run
from tests.core.helpers_docs import imported
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.services import annotations, coders, codes, codings, diary, review
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.merge import merge_project
from thematic_workbench.core.services.snapshots import create_snapshot
from thematic_workbench.core.services.text_edits import Replacement, edit_text
from thematic_workbench.core.storage.copying import copy_project
from thematic_workbench.core.storage.models import Code, Coding, Document, ProjectMerge
from thematic_workbench.core.storage.store import ProjectStore

TEXT = ("INTERVIEWER: Who referred you?\n"
        "PA: Dr Okafor at Rampton Hospital, on 14 March 2021. Harriet Vane came too.\n"
        "PA: You can call me on 07700 900123 or write to h.vane@example.org, from Leeds.\n"
        "PA: Dr Okafor listened, which nobody had done.\n")
DELETED = " Harriet Vane came too."
KEY = {"Okafor": "[Clinician C1]", "Rampton Hospital": "[Hospital H1]",
       "14 March 2021": "[Date D1]", "Harriet Vane": "[Person P1]",
       "07700 900123": "[Phone T1]", "h.vane@example.org": "[E-mail E1]", "Leeds": "[City L1]"}
KINDS = {"14 March 2021": "date", "07700 900123": "contact", "h.vane@example.org": "contact",
         "Leeds": "place", "Rampton Hospital": "organisation"}


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def _study(path: Path) -> None:
    """The transcript coded, with the names in an in-vivo code, a memo, a margin note, the
    diary, a snapshot, a passage deleted since; a supervisor's signed sign-off."""
    with ProjectStore.create(path, "Referral study", coder="alice") as store:
        with store.transaction("alice") as tx:
            document = import_document(tx, imported(TEXT, "PA")).new_id(Kind.DOCUMENT)
            in_vivo = codes.create_code(tx, "\"Dr Okafor listened\"",
                                        origin="in_vivo").new_id(Kind.CODE)
            referral = codes.create_code(tx, "Referral").new_id(Kind.CODE)
            codings.apply_coding(tx, document, in_vivo, *_span(TEXT, "Dr Okafor listened"))
            codings.apply_coding(tx, document, referral,
                                 *_span(TEXT, "Dr Okafor at Rampton Hospital, on 14 March 2021"),
                                 memo="Okafor again; Leeds is where she lives")
            codings.apply_coding(tx, document, referral,
                                 *_span(TEXT, "call me on 07700 900123"))
            annotations.add_annotation(tx, document, *_span(TEXT, "Harriet Vane"),
                                       "Is Harriet Vane her sister? Ask h.vane@example.org")
            diary.add_entry(tx, "Rampton Hospital came up on 14 March 2021 again.",
                            title="Okafor")
            coders.set_coder_role(tx, "Sue", "supervisor")
        with store.transaction("alice") as tx:
            create_snapshot(tx, "Before Okafor's second interview")
        with store.transaction("Sue") as tx:
            review.sign_off_phase(tx, 1, "read against the recordings")
        with store.transaction("alice") as tx:  # the old words stay in the trail's payload
            edit_text(tx, document, [Replacement(*_span(TEXT, DELETED), "")])
    _merged_copy(path)


def _merged_copy(path: Path) -> None:
    """Ben's copy, kept in a folder named after a place and renaming a code after a person,
    merged back: the merge record names the place and its report the person."""
    theirs = path.parent / "Leeds" / "copy.thematic"
    theirs.parent.mkdir()
    copy_project(path, theirs, "Ben")
    with ProjectStore.open(theirs) as store, store.transaction("Ben") as tx:
        referral = tx.session.execute(select(Code.id).where(Code.name == "Referral")).scalar_one()
        codes.rename_code(tx, referral, "Referral by Okafor")
    report = merge_project(path, theirs, "alice")
    assert any("Okafor" in line for line in report.conflicts), report.conflicts
    theirs.unlink()
    theirs.parent.rmdir()


def _coded(path: Path) -> list[tuple[str, str]]:
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        text = session.execute(select(Document.text)).scalar_one()
        return sorted((name, text[start:end]) for name, start, end in session.execute(
            select(Code.name, Coding.start, Coding.end).join(Code, Code.id == Coding.code_id)))


def _pseudonymised(words: str) -> str:
    for real in sorted(KEY, key=len, reverse=True):
        words = words.replace(real, KEY[real])
    return words


def _left_in_bytes(path: Path) -> dict[str, list[str]]:
    """Each real string (in any case) found in the file or a side file, and where."""
    found: dict[str, list[str]] = {}
    for file in (path, *(path.with_name(path.name + side) for side in ("-wal", "-shm"))):
        if file.exists():
            data = file.read_bytes().lower()
            for real in KEY:
                if real.lower().encode("utf-8") in data:
                    found.setdefault(real, []).append(file.name)
    return found


def test_no_real_string_is_left_in_the_file_and_the_trail_still_verifies(
        tmp_path: Path, cli: Callable[..., Run]) -> None:
    project = tmp_path / "study.thematic"
    _study(project)
    coded_before = _coded(project)
    left = _left_in_bytes(project)
    assert set(left) == set(KEY), "each real string is in the file before"
    key = tmp_path / "apart" / "key.csv"
    key.parent.mkdir()
    key.write_text("real,pseudonym,kind\n" + "".join(
        f"{real},{pseudonym},{KINDS.get(real, 'person')}\n" for real, pseudonym in KEY.items()),
        encoding="utf-8")

    run = cli("pseudonymise", str(project), "--key", str(key))
    assert run.code == 0, run.err
    erased_line = next(line for line in run.out.splitlines()
                       if line.startswith("erased the payloads of"))
    assert "the project file was rebuilt" in run.out

    assert _left_in_bytes(project) == {}
    assert not project.with_name(project.name + "-wal").exists()
    assert _coded(project) == sorted((_pseudonymised(name), _pseudonymised(words))
                                     for name, words in coded_before)

    verified = cli("audit", str(project), "--verify")
    assert verified.code == 0, verified.err
    assert verified.out.startswith("audit trail intact")
    assert "2 signed anchors checked (by Sue, alice)" in verified.out  # sign-off, snapshot
    redacted_line = next(line for line in verified.out.splitlines() if " redacted, " in line)
    count = int(erased_line.split()[4])
    kept = int(redacted_line.split(", ")[1].split()[0])
    assert 0 < kept < count  # Ben's rename, in the trail the merge kept
    assert redacted_line.startswith(f"{count} events redacted, {kept} of them in kept trails "
                                    "(payloads erased at event ")
    assert redacted_line.endswith("by alice: pseudonymisation); their links checked")

    report = json.loads(cli("audit", str(project), "--verify", "--json").out)
    assert report["intact"] and len(report["redacted"]) == count
    assert [check["intact"] for check in report["kept_trails"]] == [True]
    assert {(r["by"], r["reason"]) for r in report["redacted"]} == {("alice",
                                                                     "pseudonymisation")}
    trail = json.loads(cli("audit", str(project), "--json").out)
    erased = [event for event in trail if event["redacted"]]
    assert [event["seq"] for event in erased] == [r["seq"] for r in report["redacted"]
                                                  if r["kept_by_merge"] is None]
    assert {event["action"] for event in erased} >= {
        "code.create", "coding.memo" if any(e["action"] == "coding.memo" for e in erased)
        else "coding.apply", "annotation.add", "diary.add", "snapshot.create",
        "document.edit_text", "project.merge"}
    assert all(event["before"] == event["after"] == {"redacted": True} for event in erased)
    listing = cli("audit", str(project)).out
    assert listing.count("erased by a redaction") == count - kept

    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        merge = session.execute(select(ProjectMerge)).scalar_one()
        assert "[City L1]" in merge.other_location
        assert "Referral by [Clinician C1]" in merge.report_json
    assert "merge records: 2" in run.out

    found = json.loads(cli("search", str(project), "Clinician", "--json").out)
    assert found, "the rebuilt index finds the pseudonyms"


def test_a_dry_run_erases_nothing(tmp_path: Path, cli: Callable[..., Run]) -> None:
    project = tmp_path / "study.thematic"
    _study(project)
    key = tmp_path / "key.csv"
    key.write_text("real,pseudonym,kind\nOkafor,[C1],person\n", encoding="utf-8")
    before = project.read_bytes()
    run = cli("pseudonymise", str(project), "--key", str(key), "--dry-run", "--json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["audit_payloads_erased"] == 0
    assert project.read_bytes() == before
