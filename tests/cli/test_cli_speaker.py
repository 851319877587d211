"""A focus group whose speakers are mapped to participants with the ``speaker`` verb:
the counts by participant and by attribute follow the speaker who said each passage."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from tests.cli.conftest import Run
from thematic_workbench.analysis.table1 import build_table1
from thematic_workbench.analysis.theme_matrix import theme_participant_matrix
from thematic_workbench.core.queries.project import code_summaries, extracts_of_code
from thematic_workbench.core.services import participants, themes
from thematic_workbench.core.storage.models import SpeakerParticipant
from thematic_workbench.core.storage.store import ProjectStore

GROUP = (
    "Moderator: What keeps the alliance going with a mandated client?\n"
    "Anna: Honesty about the risk report, every single time.\n"
    "Ben: For me it is honesty too, and patience; the trust comes late.\n"
    "Moderator: Anna, you nodded?\n"
    "Anna: Yes. Being honest about risk is part of the alliance.\n"
)


def _project(cli: Callable[..., Run], tmp_path: Path) -> Path:
    project, transcript = tmp_path / "group.thematic", tmp_path / "Group 1.txt"
    transcript.write_text(GROUP, encoding="utf-8")
    assert cli("new", str(project)).code == 0
    assert cli("import", str(project), str(transcript)).code == 0
    for words in ("Honesty about the risk report", "it is honesty too",
                  "Being honest about risk", "What keeps the alliance going"):
        run = cli("code", str(project), "Group 1", "honesty", "--match", words)
        assert run.code == 0, run.err
    with ProjectStore.open(project) as store, store.transaction("alice") as tx:
        anna = participants.create_participant(tx, "P1").new_id("participant")
        ben = participants.create_participant(tx, "P2").new_id("participant")
        participants.define_attribute(tx, "profession", "choice", ["nurse", "psychologist"])
        participants.set_participant_attribute(tx, anna, "profession", "nurse")
        participants.set_participant_attribute(tx, ben, "profession", "psychologist")
        theme = themes.create_theme(tx, "Honest risk talk", "emerging").new_id("theme")
        code_id = code_summaries(tx.session)[0].id
        themes.assign_code(tx, code_id, theme)
    return project


def test_speaker_maps_and_counts_follow_the_speaker(cli: Callable[..., Run],
                                                    tmp_path: Path) -> None:
    project = _project(cli, tmp_path)
    run = cli("speaker", str(project), "group 1", "anna", "--participant", "P1")
    assert run.code == 0, run.err
    assert run.out.strip() == "'Anna' in 'Group 1' now counts as participant P1"
    run = cli("speaker", str(project), "Group 1", "Ben", "--participant", "P2")
    assert run.code == 0, run.err
    run = cli("speaker", str(project), "Group 1", "Carol", "--participant", "P3")
    assert run.code == 1 and run.err.count("\n") == 1
    assert "no speaker 'Carol' in 'Group 1' (speakers: Anna, Ben, Moderator)" in run.err
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        rows = session.execute(select(SpeakerParticipant.speaker)).scalars().all()
        assert sorted(rows) == ["Anna", "Ben"]

    data = json.loads(cli("stats", str(project), "--json", "--attribute", "profession").out)
    cells = {cell["participant"]: cell["codings"] for cell in data["by_participant"]["cells"]}
    # Anna said two coded passages, Ben one; the moderator's prompt counts for nobody.
    assert cells == {"P1": 2, "P2": 1, "": 1}
    assert data["by_participant"]["participants"] == ["P1", "P2", ""]
    by_value = {cell["value"]: (cell["codings"], cell["participants"])
                for cell in data["by_attribute"]["profession"]["cells"]}
    assert by_value == {"nurse": (2, 1), "psychologist": (1, 1), "": (1, 0)}
    assert data["codes"][0]["participants"] == 2
    table = cli("stats", str(project), "--attribute", "profession").out
    assert "nurse (1)" in table and "psychologist (1)" in table

    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        matrix = theme_participant_matrix(session)
        theme_id = matrix.themes[0].id
        assert {who: matrix.cell(theme_id, who).segments for who in matrix.participants} == {
            "P1": 2, "P2": 1, "": 1}
        assert build_table1(session).rows[0].participants == 2
        summary = code_summaries(session)[0]
        assert (summary.codings, summary.participants) == (4, 2)
        cited = sorted((extract.participant or "-", extract.text[:10])
                       for extract in extracts_of_code(session, summary.id))
        assert cited == [("-", "What keeps"), ("P1", "Being hone"), ("P1", "Honesty ab"),
                         ("P2", "it is hone")]

    run = cli("speaker", str(project), "Group 1", "Ben", "--clear")
    assert run.code == 0 and "no longer mapped" in run.out
    data = json.loads(cli("stats", str(project), "--json").out)
    cells = {cell["participant"]: cell["codings"] for cell in data["by_participant"]["cells"]}
    assert cells == {"P1": 2, "": 2}


def test_agreement_compares_only_the_chosen_participants_speech(cli: Callable[..., Run],
                                                                tmp_path: Path) -> None:
    project = _project(cli, tmp_path)
    for speaker, label in (("Anna", "P1"), ("Ben", "P2")):
        assert cli("speaker", str(project), "Group 1", speaker, "--participant", label).code == 0
    run = cli("code", str(project), "Group 1", "honesty", "--match",
              "Honesty about the risk report", "--coder", "bob")
    assert run.code == 0, run.err
    whole = json.loads(cli("agreement", str(project), "--coders", "alice", "bob",
                           "--json").out)
    anna = json.loads(cli("agreement", str(project), "--coders", "alice", "bob",
                          "--participant", "P1", "--json").out)
    spoken = sum(len(line.split(": ", 1)[1]) for line in GROUP.splitlines()
                 if line.startswith("Anna"))
    assert whole["documents"][0]["characters"] == len(GROUP.rstrip("\n"))
    assert anna["documents"][0]["characters"] == spoken
    counts = anna["rows"][0]["counts"]
    # alice coded both of Anna's passages, bob the first; Ben's and the moderator's are out.
    assert counts["both"] == len("Honesty about the risk report")
    assert counts["only_a"] == len("Being honest about risk") and counts["only_b"] == 0
    bad = cli("agreement", str(project), "--coders", "alice", "bob", "--attribute", "age")
    assert bad.code == 1 and "--attribute takes NAME=VALUE" in bad.err


def test_participants_lists_the_focus_groups_they_speak_in(cli: Callable[..., Run],
                                                           tmp_path: Path) -> None:
    project = _project(cli, tmp_path)
    assert cli("speaker", str(project), "Group 1", "Anna", "--participant", "P1").code == 0
    listed = {row["label"]: row for row in json.loads(cli("participants", str(project),
                                                           "--json").out)}
    assert listed["P1"]["speaks_in"] == [{"document": "Group 1", "speaker": "Anna"}]
    assert listed["P1"]["documents"] == [] and listed["P2"]["speaks_in"] == []
    table = cli("participants", str(project)).out
    assert "Group 1 (as Anna)" in table
