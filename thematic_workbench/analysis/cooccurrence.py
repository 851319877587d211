"""How often two codes are applied together: the computed edges of the map and the heat map.

Two readings of "together", both counted in SQL so a project of 50,000 codings answers in a
fraction of a second:

- ``"overlap"``: two codings of different codes in the same transcript whose spans share at
  least one character. Each pair of codings counts once, so a passage coded A twice and B
  once adds two to (A, B).
- ``"turn"``: one speaker turn in which both codes have a coding (a coding counts in every
  turn its span touches). Each turn counts once per pair, however many codings it holds.

Only active codes count (merged codes are history); ``coder_ids`` keeps the codings of some
coders (None: everyone's). Co-occurrence is computed, never stored (DESIGN.md section 3).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from thematic_workbench.core.storage.models import Code, Coding, Turn

MODES = ("overlap", "turn")
CodePair = tuple[int, int]  # (smaller code id, larger code id)


def code_cooccurrence(session: Session, mode: str = "overlap",
                      coder_ids: Collection[int] | None = None) -> dict[CodePair, int]:
    """Counts keyed (smaller code id, larger code id); pairs never seen together are absent."""
    if mode not in MODES:
        raise ValueError(f"co-occurrence is counted by 'overlap' or 'turn', not {mode!r}")
    if coder_ids is not None and not coder_ids:
        return {}
    query = _overlap_query(coder_ids) if mode == "overlap" else _turn_query(coder_ids)
    # Filtered here, not in SQL: an IN (active codes) there lets SQLite's planner drive the
    # self-join by code through uq_coding, fifty times slower. Merged codes hold no codings
    # anyway (merging moves them), so this drops nothing in practice.
    active = set(session.execute(select(Code.id).where(Code.status == "active")).scalars())
    return {(low, high): count for low, high, count in session.execute(query)
            if low in active and high in active}


def _coded_by(coding: Any, coder_ids: Collection[int] | None) -> ColumnElement[bool]:
    return true() if coder_ids is None else coding.coder_id.in_(sorted(set(coder_ids)))


def _overlap_query(coder_ids: Collection[int] | None) -> Select[int, int, int]:
    """Each overlapping pair is found once, from the coding that starts first (ties: the lower
    id) to the one starting inside it: a range on ``ix_coding_document_start``."""
    first, second = aliased(Coding), aliased(Coding)
    ordered = first.code_id < second.code_id  # not SQLite's min(a, b): PostgreSQL lacks it
    low = case((ordered, first.code_id), else_=second.code_id)
    high = case((ordered, second.code_id), else_=first.code_id)
    return (select(low, high, func.count())
            .select_from(first)
            .join(second, and_(second.document_id == first.document_id,
                               second.start >= first.start, second.start < first.end))
            .where(or_(second.start > first.start, second.id > first.id),
                   first.code_id != second.code_id,
                   _coded_by(first, coder_ids), _coded_by(second, coder_ids))
            .group_by(low, high))


def _turn_query(coder_ids: Collection[int] | None) -> Select[int, int, int]:
    """The (turn, code) pairs first, then pairs of codes within a turn, each turn once.

    A transcript's turns follow one another without overlapping, so the turns a coding
    touches are the one holding its first character and those starting inside it: the
    search starts at the last turn beginning at or before the coding (an index seek),
    not at the top of the transcript. A DISTINCT on the (turn, code) pairs would turn
    SQLite's plan around (ten times slower); the count of distinct turns does that job.
    """
    earlier = aliased(Turn)
    holding_start = (select(func.max(earlier.start))
                     .where(earlier.document_id == Coding.document_id,
                            earlier.start <= Coding.start)
                     .correlate(Coding).scalar_subquery())
    touched = (select(Turn.id.label("turn_id"), Coding.code_id.label("code_id"))
               .select_from(Coding)
               .join(Turn, and_(Turn.document_id == Coding.document_id,
                                Turn.start >= func.coalesce(holding_start, Coding.start),
                                Turn.start < Coding.end))
               .where(Turn.end > Coding.start, _coded_by(Coding, coder_ids))
               .cte("touched"))
    one, other = touched.alias("one"), touched.alias("other")
    return (select(one.c.code_id, other.c.code_id, func.count(one.c.turn_id.distinct()))
            .join(other, and_(other.c.turn_id == one.c.turn_id,
                              other.c.code_id > one.c.code_id))
            .group_by(one.c.code_id, other.c.code_id))
