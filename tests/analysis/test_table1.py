"""Table 1's model: its rows follow the board's order, themes span their codes, and what is
left out is said."""

from __future__ import annotations

from tests.core.helpers_docs import add_document
from thematic_workbench.analysis.table1 import build_table1
from thematic_workbench.core.reports.table1 import Span, Table1Options
from thematic_workbench.core.services import codes, codings, participants, themes
from thematic_workbench.core.storage.store import ProjectStore


def _frame(store: ProjectStore) -> dict[str, int]:
    """Final F1 > emerging E1 (a, b), E2 (c); final F2 > E3 (d) and code e directly;
    loose emerging E4 (f); codes g (no theme) and h in E1 too (a code in two themes)."""
    ids: dict[str, int] = {}
    with store.transaction("ana") as tx:
        for name in "abcdefg":
            ids[name] = codes.create_code(tx, name).new_id("code")
        ids["F1"] = themes.create_theme(tx, "F1", level="final").new_id("theme")
        ids["F2"] = themes.create_theme(tx, "F2", level="final").new_id("theme")
        for name, parent in (("E1", "F1"), ("E2", "F1"), ("E3", "F2"), ("E4", None)):
            ids[name] = themes.create_theme(
                tx, name, parent_id=ids[parent] if parent else None).new_id("theme")
        for code, theme in (("b", "E1"), ("a", "E1"), ("c", "E2"), ("d", "E3"), ("e", "F2"),
                            ("f", "E4"), ("c", "E3")):
            themes.assign_code(tx, ids[code], ids[theme])
        themes.move_code_in_theme(tx, ids["E1"], ids["a"], 0)
    return ids


def test_rows_follow_the_board_and_themes_span_their_codes(store: ProjectStore) -> None:
    _frame(store)
    with store.read() as session:
        table = build_table1(session)
    assert [(r.code, r.emerging, r.final) for r in table.rows] == [
        ("a", "E1", "F1"), ("b", "E1", "F1"), ("c", "E2", "F1"),
        ("d", "E3", "F2"), ("c", "E3", "F2"), ("e", "", "F2"),
        ("f", "E4", ""),
    ]
    emerging, final = table.theme_columns()
    assert emerging == [Span("E1", 0, 1), Span("E2", 2, 2), Span("E3", 3, 4), Span("", 5, 5),
                        Span("E4", 6, 6)]
    assert final == [Span("F1", 0, 2), Span("F2", 3, 5), Span("", 6, 6)]
    assert table.left_out_codes == ("g",)
    assert table.warnings[0] == "1 code in no theme is left out: g."
    assert any("'E4' is in no final theme" in w for w in table.warnings)


def test_counts_and_two_levels(store: ProjectStore) -> None:
    ids = _frame(store)
    with store.transaction("ana") as tx:
        doc_a = add_document(tx.session, "PA", "one two three four five six")
        doc_b = add_document(tx.session, "PB", "seven eight nine ten")
        for label, document_id in (("PA", doc_a), ("PB", doc_b)):
            person, _change = participants.ensure_participant(tx, label)
            participants.set_document_participant(tx, document_id, person)
        codings.apply_coding(tx, doc_a, ids["a"], 0, 3)
        codings.apply_coding(tx, doc_a, ids["a"], 4, 7)
        codings.apply_coding(tx, doc_b, ids["a"], 0, 5)
    with store.read() as session:
        counted = build_table1(session, Table1Options(show_counts=True))
        two = build_table1(session, Table1Options(levels=2))
    first = counted.rows[0]
    assert (first.code, first.codings, first.participants) == ("a", 3, 2)
    assert counted.code_text(first) == "a (3, 2)"
    assert counted.flat_headers()[-2:] == ["Codings", "Participants"]
    assert counted.flat_rows()[0] == ["a", "E1", "F1", 3, 2]
    assert two.headers == ("Initial codes", "Themes")
    # Final themes take their emerging themes' codes; "c" appears once under F1 and F2 each.
    assert [(r.code, r.final) for r in two.rows] == [
        ("a", "F1"), ("b", "F1"), ("c", "F1"), ("d", "F2"), ("c", "F2"), ("e", "F2")]
    assert any("E4" in w for w in two.warnings)
    assert two.options.title == "Coding frame: initial codes and themes"


def test_an_empty_frame_gives_an_empty_table(store: ProjectStore) -> None:
    with store.read() as session:
        table = build_table1(session)
    assert table.rows == () and table.theme_columns() == [[], []]
