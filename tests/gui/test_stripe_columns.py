"""How the stripe margin gives codes their columns when there are more codes than room."""

from __future__ import annotations

from thematic_workbench.core.queries.transcript_data import CodingSpan
from thematic_workbench.gui.transcript.stripes import assign_columns

LINE_STARTS = list(range(0, 1000, 10))  # 100 lines of ten characters


def _coding(coding_id: int, code_id: int, first_line: int, last_line: int) -> CodingSpan:
    return CodingSpan(coding_id, code_id, f"Code {code_id}", "#4E79A7",
                      first_line * 10, last_line * 10 + 9, "researcher", "")


def _no_clash(codings: list[CodingSpan], columns: dict[int, int]) -> bool:
    """No two codes in one column have bars on the same or neighbouring lines."""
    for a in codings:
        for b in codings:
            if a.code_id != b.code_id and columns[a.code_id] == columns[b.code_id] and \
                    a.start // 10 - 1 <= b.end // 10 and b.start // 10 - 1 <= a.end // 10:
                return False
    return True


def test_few_codes_get_a_column_each_in_name_order() -> None:
    codings = [_coding(1, 7, 0, 2), _coding(2, 3, 50, 52)]
    assert assign_columns(codings, LINE_STARTS, own_columns=4) == {3: 0, 7: 1}


def test_many_codes_share_columns_without_clashing() -> None:
    codings = [_coding(i, i, (i * 7) % 95, (i * 7) % 95 + 3) for i in range(1, 31)]
    columns = assign_columns(codings, LINE_STARTS, own_columns=4)
    assert set(columns) == set(range(1, 31))
    assert max(columns.values()) + 1 < 30  # packed: fewer columns than codes
    assert _no_clash(codings, columns)


def test_a_new_coding_keeps_the_other_codes_in_their_columns() -> None:
    codings = [_coding(i, i, (i * 7) % 95, (i * 7) % 95 + 3) for i in range(1, 31)]
    before = assign_columns(codings, LINE_STARTS, own_columns=4)
    added = [*codings, _coding(99, 5, 0, 90)]  # code 5 now runs down the whole text
    after = assign_columns(added, LINE_STARTS, own_columns=4, previous=before)
    assert _no_clash(added, after)
    assert {code: after[code] for code in before if code != 5} == \
        {code: column for code, column in before.items() if code != 5}


def test_a_code_gone_from_the_text_leaves_no_empty_column() -> None:
    codings = [_coding(1, 1, 0, 5), _coding(2, 2, 0, 5), _coding(3, 3, 0, 5),
               _coding(4, 4, 0, 5), _coding(5, 5, 0, 5)]
    before = assign_columns(codings, LINE_STARTS, own_columns=2)
    assert sorted(before.values()) == [0, 1, 2, 3, 4]
    first = next(code for code, column in before.items() if column == 0)
    rest = [c for c in codings if c.code_id != first]
    after = assign_columns(rest, LINE_STARTS, own_columns=2, previous=before)
    assert sorted(after.values()) == [0, 1, 2, 3]
    order = sorted(before, key=before.__getitem__)[1:]
    assert sorted(after, key=after.__getitem__) == order  # the others keep their order
