"""Reading the audit trail: filters in SQL, pages, choices and readable summaries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.core.helpers_docs import imported
from thematic_workbench.core.services import codes, codings, phases
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.audit_queries import (
    AuditChoices,
    AuditFilter,
    audit_choices,
    audit_rows,
    count_audit_rows,
    field_changes,
    iter_audit_rows,
    last_seq,
    shown_value,
    stored_time,
    summarize,
)


@pytest.fixture
def trail(store: ProjectStore) -> ProjectStore:
    """researcher makes the project; alice codes in phase 1, bob defines; alice moves to 2."""
    with store.transaction("alice") as tx:
        document = import_document(tx, imported("PA: I go for a run.\nPA: 100% sure."), "PA") \
            .new_id("document")
        code = codes.create_code(tx, "Coercion").new_id("code")
        codes.rename_code(tx, code, "Coercion and choice")
        codings.code_match(tx, document, code, "I go for a run")
    with store.transaction("bob") as tx:
        codes.define_code(tx, code, "Being made to attend")
    with store.transaction("alice") as tx:
        phases.move_to_phase(tx, 2, "Familiarised with PA")
        codes.create_code(tx, "100% sure")
        codes.create_code(tx, "1000 sure")
    return store


def _actions(store: ProjectStore, audit_filter: AuditFilter | None = None) -> list[str]:
    with store.read() as db:
        return [row.action for row in audit_rows(db, audit_filter, limit=1000)]


def test_rows_come_newest_first_with_a_readable_summary(trail: ProjectStore) -> None:
    with trail.read() as db:
        rows = audit_rows(db)
        newest = last_seq(db)
    assert [row.seq for row in rows] == list(range(newest, 0, -1))
    assert rows[-1].action == "coder.create" and rows[-1].coder == "researcher"
    rename = next(row for row in rows if row.action == "code.rename")
    assert rename.summary == "Renamed code “Coercion” → “Coercion and choice”"
    assert rename.entity == f"code {rename.entity_id}" and rename.phase == 1
    assert rename.before == {"name": "Coercion"}
    assert rename.after == {"name": "Coercion and choice"}
    apply = next(row for row in rows if row.action == "coding.apply")
    assert apply.summary.startswith("Applied code “Coercion and choice” to document ")


def test_filters_by_coder_phase_action_and_entity(trail: ProjectStore) -> None:
    assert _actions(trail, AuditFilter(coder="bob")) == ["code.define", "coder.create"]
    assert _actions(trail, AuditFilter(phase=2)) == ["code.create", "code.create"]
    # "code." is every code action, but not "coder." nor "coding."
    assert _actions(trail, AuditFilter(action="code.")) == \
        ["code.create", "code.create", "code.define", "code.rename", "code.create"]
    assert _actions(trail, AuditFilter(action="coding.")) == ["coding.apply"]
    assert _actions(trail, AuditFilter(action="code.rename")) == ["code.rename"]
    with trail.read() as db:
        code_id = next(r.entity_id for r in audit_rows(db) if r.action == "code.rename")
    assert _actions(trail, AuditFilter(entity_kind="code", entity_id=code_id)) == \
        ["code.define", "code.rename", "code.create"]
    assert _actions(trail, AuditFilter(coder="alice", action="code.", phase=1)) == \
        ["code.rename", "code.create"]


def test_text_is_found_in_before_and_after_with_wildcards_taken_literally(
        trail: ProjectStore) -> None:
    assert _actions(trail, AuditFilter(text="made to ATTEND")) == ["code.define"]
    with trail.read() as db:
        found = audit_rows(db, AuditFilter(text="0%"))
    assert [row.summary for row in found] == ["Created code “100% sure”"]
    assert _actions(trail, AuditFilter(text="no such words")) == []


def test_time_range_is_since_inclusive_until_exclusive_in_any_time_zone(
        trail: ProjectStore) -> None:
    with trail.read() as db:
        rows = audit_rows(db)
    middle = next(row for row in rows if row.action == "code.define")
    moment = datetime.fromisoformat(middle.at)
    since = _actions(trail, AuditFilter(since=moment))
    assert since == [row.action for row in rows if row.seq >= middle.seq]
    assert _actions(trail, AuditFilter(until=moment)) == \
        [row.action for row in rows if row.seq < middle.seq]
    elsewhere = moment.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert _actions(trail, AuditFilter(since=elsewhere)) == since
    assert stored_time(moment.replace(tzinfo=None)) == middle.at  # naive means UTC


def test_pages_by_offset_or_by_sequence_cover_every_row_once(trail: ProjectStore) -> None:
    with trail.read() as db:
        everything = [row.seq for row in audit_rows(db)]
        by_offset = [row.seq for start in range(0, len(everything), 3)
                     for row in audit_rows(db, limit=3, offset=start)]
        by_seq: list[int] = []
        while page := audit_rows(db, limit=3, before_seq=by_seq[-1] if by_seq else None):
            by_seq.extend(row.seq for row in page)
        newer = [row.seq for row in audit_rows(db, after_seq=everything[3])]
        oldest_first = [row.seq for row in iter_audit_rows(db, batch=4)]
        assert count_audit_rows(db) == len(everything)
        assert count_audit_rows(db, AuditFilter(coder="bob")) == 2
    assert by_offset == by_seq == everything
    assert newer == everything[:3]
    assert oldest_first == everything[::-1]


def test_choices_list_each_value_once_and_newer_ones_alone(trail: ProjectStore) -> None:
    with trail.read() as db:
        choices = audit_choices(db)
        later = audit_choices(db, after_seq=last_seq(db) - 2)
    assert choices.coders == ("alice", "bob", "researcher")
    assert {"code.create", "code.rename", "coding.apply", "phase.move"} <= set(choices.actions)
    assert {"code", "coding", "document", "project"} <= set(choices.entity_kinds)
    assert later == AuditChoices(("alice",), ("code.create",), ("code",))
    assert later.merged(AuditChoices(("zoe",), (), ("theme",))).coders == ("alice", "zoe")


def test_action_options_group_actions_that_share_a_prefix() -> None:
    choices = AuditChoices((), ("code.create", "code.rename", "phase.move"), ())
    assert choices.action_options() == [
        ("code (all)", "code."), ("    code.create", "code.create"),
        ("    code.rename", "code.rename"), ("phase.move", "phase.move")]


def test_field_changes_mark_what_changed() -> None:
    changes = field_changes({"name": "A", "colour": "#111111"},
                            {"name": "B", "colour": "#111111", "memo": "new"})
    assert [(c.key, c.before, c.after, c.changed) for c in changes] == [
        ("name", "A", "B", True), ("colour", "#111111", "#111111", False),
        ("memo", None, "new", True)]
    (single,) = field_changes(None, [1, 2])
    assert single.key == "value" and single.after == [1, 2] and single.changed


def test_summaries_read_as_sentences() -> None:
    assert summarize("code.merge", "code", 3, {"name": "A", "status": "active"},
                     {"merged_into": 4, "merged_into_name": "B"}) == \
        "Merged code “A” into “B”"
    assert summarize("theme.assign_code", "theme", 7, None,
                     {"code_id": 2, "code_name": "Running", "position": 0}) == \
        "Added code “Running” to theme 7"
    assert summarize("code.define", "code", 3, {"definition": "old"},
                     {"definition": "new"}) == "Defined code 3: definition old → new"
    assert summarize("phase.move", "project", 1, {"phase": 1},
                     {"phase": 2, "note": "Read everything twice"}) == \
        "Moved to phase 2: Read everything twice"
    assert summarize("code.create", "code", 1, None, {"name": '"in vivo"'}) == \
        'Created code "in vivo"'
    assert shown_value(None) == "—" and shown_value("") == "(empty)"
    assert shown_value("a  long\ntext", most=6) == "a lon…"
