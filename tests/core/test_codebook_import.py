"""Storing a codebook plan: everything audited, nothing duplicated or overwritten, and all
or nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.core.helpers_docs import assert_chain_intact, before_after, event_count, last_event
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.queries.theme_board import read_board
from thematic_workbench.core.records.codebook_plan import CodebookPlan, PlannedCode, PlannedTheme
from thematic_workbench.core.services import codes, themes
from thematic_workbench.core.services.codebook_import import import_codebook
from thematic_workbench.core.storage.models import AuditEvent, Code, Theme, ThemeMembership

CODER = "Ann Analyst"

PLAN = CodebookPlan(
    source="team codebook.qdc",
    codes=(PlannedCode("c1", "Self-care", "Looking after oneself", "#112233"),
           PlannedCode("c2", "Supervision", "Talking it through"),
           PlannedCode("c3", "Carrying it home", "", "#ABCDEF")),
    # the emerging theme comes first: the final theme must still be made before it
    themes=(PlannedTheme("e1", "Putting it down", "emerging", "Ways to let go", "f1",
                         ("c2", "c1")),
            PlannedTheme("f1", "Sustaining the self", "final", "What keeps them going",
                         None, ("c3",)),
            PlannedTheme("e2", "Weight of the work", "emerging", "", None, ("c3", "c1"))),
    notes=("themes have no colour here",),
)


def frame(store) -> list[tuple[str, str, str | None, list[str]]]:
    with store.read() as db:
        board = read_board(db)
    rows = [(f.name, f.level, None, [c.name for c in f.codes]) for f in board.finals]
    names = {f.id: f.name for f in board.finals}
    rows += [(e.name, e.level, names.get(parent), [c.name for c in e.codes])
             for parent, group in board.emerging.items() for e in group]
    return rows


def totals(store) -> tuple[int, ...]:
    with store.read() as db:
        return tuple(db.execute(select(func.count()).select_from(model)).scalar_one()
                     for model in (Code, Theme, ThemeMembership, AuditEvent))


def run(store, plan: CodebookPlan = PLAN):
    with store.transaction(CODER) as tx:
        return import_codebook(tx, plan)


def test_a_plan_becomes_codes_themes_and_ordered_memberships(store):
    result = run(store)
    assert frame(store) == [
        ("Sustaining the self", "final", None, ["Carrying it home"]),
        ("Putting it down", "emerging", "Sustaining the self", ["Supervision", "Self-care"]),
        ("Weight of the work", "emerging", None, ["Carrying it home", "Self-care"]),
    ]
    with store.read() as db:
        code = db.get(Code, result.code_ids["c1"])
        assert (code.name, code.colour, code.definition) == (
            "Self-care", "#112233", "Looking after oneself")
        assert db.get(Theme, result.theme_ids["f1"]).definition == "What keeps them going"
    assert (result.codes_created, result.codes_reused, result.themes_created,
            result.themes_reused, result.memberships_added) == (3, 0, 3, 0, 5)
    assert result.notes == ["themes have no colour here"]
    assert set(result.change.added) == {"code", "theme"}


def test_every_change_is_audited_and_summed_up_in_one_event(store):
    with store.transaction(CODER):
        pass  # the coder's own first event
    with store.read() as db:
        before = event_count(db)
    run(store)
    with store.read() as db:
        actions = Counter(db.execute(select(AuditEvent.action)
                                     .where(AuditEvent.seq > before)).scalars())
        summary = last_event(db, "codebook.import")
    assert actions == {"code.create": 3, "theme.create": 3, "theme.assign_code": 5,
                       "codebook.import": 1}
    after = before_after(summary)[1]
    assert after["source"] == "team codebook.qdc"
    assert (after["codes_created"], after["themes_created"], after["memberships_added"]) == (
        3, 3, 5)
    assert (summary.entity_kind, summary.entity_id) == ("project", 1)
    assert_chain_intact(store)


def test_existing_codes_and_themes_are_reused_never_overwritten(store):
    with store.transaction(CODER) as tx:
        codes.create_code(tx, "SELF-CARE", definition="Our own wording", colour="#FF0000")
        empty = codes.create_code(tx, "supervision", colour="#00FF00").new_id("code")
        theme = themes.create_theme(tx, "putting it down", definition="").new_id("theme")
        themes.assign_code(tx, empty, theme)
        themes.create_theme(tx, "Sustaining the self", level="emerging")  # other level
    result = run(store)
    with store.read() as db:
        rows = {c.name: (c.colour, c.definition) for c in db.execute(select(Code)).scalars()}
        reused = db.get(Theme, theme)
        assert (reused.definition, reused.parent_id) == (
            "Ways to let go", result.theme_ids["f1"])
    assert rows == {"SELF-CARE": ("#FF0000", "Our own wording"),
                    "supervision": ("#00FF00", "Talking it through"),
                    "Carrying it home": ("#ABCDEF", "")}
    assert (result.codes_created, result.codes_reused) == (1, 2)
    assert (result.themes_created, result.themes_reused) == (2, 1)
    assert result.memberships_added == 4  # supervision was already in the theme
    assert ("putting it down", "emerging", "Sustaining the self",
            ["supervision", "SELF-CARE"]) in frame(store)
    assert any("'SELF-CARE'" in note and "definition was kept" in note
               for note in result.notes)


def test_importing_twice_adds_nothing(store):
    run(store)
    before = frame(store)
    again = run(store)
    assert frame(store) == before
    assert (again.codes_created, again.themes_created, again.memberships_added) == (0, 0, 0)
    assert (again.codes_reused, again.themes_reused) == (3, 3)


def test_names_repeated_in_one_plan_are_one_code_and_one_theme(store):
    plan = CodebookPlan("t.csv", codes=(PlannedCode("a", "Trust"), PlannedCode("b", "trust")),
                        themes=(PlannedTheme("t1", "Slow", "emerging", "", None, ("a",)),
                                PlannedTheme("t2", "SLOW", "emerging", "", None, ("b",))))
    result = run(store, plan)
    assert result.code_ids["a"] == result.code_ids["b"]
    assert result.theme_ids["t1"] == result.theme_ids["t2"]
    assert (result.codes_created, result.codes_reused, result.themes_created,
            result.themes_reused, result.memberships_added) == (1, 0, 1, 0, 1)


@pytest.mark.parametrize("plan, message", [
    (CodebookPlan("bad.qdc", codes=(PlannedCode("a", "Fine"),),
                  themes=(PlannedTheme("t", "Theme", "emerging", "", None, ("a", "zzz")),)),
     "theme 'Theme' lists a code (zzz)"),
    (CodebookPlan("bad.qdc", codes=(PlannedCode("a", "Fine"), PlannedCode("b", "x" * 400))),
     "at most 300 characters"),
    (CodebookPlan("bad.qdc", codes=(PlannedCode("a", "Fine"),),
                  themes=(PlannedTheme("t", "Orphan", "emerging", "", "nowhere", ("a",)),)),
     "final theme that is not in the file"),
    (CodebookPlan("bad.qdc", codes=(PlannedCode("a", "Fine"),),
                  themes=(PlannedTheme("t", "Odd", "middle", "", None, ()),)),
     "has no level"),
])
def test_a_refused_plan_stores_nothing(store, plan, message):
    before = totals(store)
    with pytest.raises(InvariantError) as caught:
        run(store, plan)
    assert str(caught.value).startswith("bad.qdc: nothing was imported: ")
    assert message in str(caught.value)
    assert totals(store) == before
    assert_chain_intact(store)


def test_an_invalid_colour_is_replaced_and_noted(store):
    result = run(store, CodebookPlan("t.csv", codes=(PlannedCode("a", "Trust", "", "red"),)))
    with store.read() as db:
        assert db.get(Code, result.code_ids["a"]).colour.startswith("#")
    assert any("'red' is not a colour" in note for note in result.notes)
