"""Table 1 as a model: "Initial codes | Emerging themes | Final themes", one row per code,
each theme spanning its codes (``analysis.table1.build_table1`` builds it,
``io.table1_files`` writes it, the window previews it). The level words in the headings and
the caption are the project's choice, carried by the model so the writers need no session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords

CAPTION_LABEL = "Table 1"
CAPTION_TITLES = {3: "Coding frame for emerging and final themes",
                  2: "Coding frame: initial codes and themes"}
HEADERS_3 = ("Initial codes", "Emerging themes", "Final themes")
HEADERS_2 = ("Initial codes", "Themes")


def caption_titles(words: ThemeWords) -> dict[int, str]:
    """The usual caption title for 3 and 2 levels, in the project's words."""
    return {3: f"Coding frame for {words.lower} and {words.upper} themes", 2: CAPTION_TITLES[2]}


def headers_3(words: ThemeWords) -> tuple[str, str, str]:
    """"Initial codes | Emerging themes | Final themes" in the project's words."""
    return ("Initial codes", words.themes("emerging", True), words.themes("final", True))


@dataclass(frozen=True)
class Table1Options:
    """What the researcher chose; ``levels`` is 3 (codes | emerging | final) or 2."""

    levels: int = 3
    show_counts: bool = False
    landscape: bool = False
    caption_label: str = CAPTION_LABEL
    caption_title: str | None = None  # None: the usual title for the number of levels

    @property
    def title(self) -> str:
        return CAPTION_TITLES[self.levels] if self.caption_title is None else self.caption_title


@dataclass(frozen=True)
class Table1Row:
    code_id: int
    code: str
    codings: int
    participants: int
    emerging_id: int | None  # None: the code sits directly in its final theme
    emerging: str
    final_id: int | None  # None: the emerging theme is in no final theme
    final: str


@dataclass(frozen=True)
class Span:
    """A theme's cell: ``text`` over rows ``first``..``last`` (0-based body rows)."""

    text: str
    first: int
    last: int


@dataclass(frozen=True)
class Table1:
    options: Table1Options
    rows: tuple[Table1Row, ...]
    left_out_codes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    words: ThemeWords = EMERGING_FINAL

    @property
    def headers(self) -> tuple[str, ...]:
        return headers_3(self.words) if self.options.levels == 3 else HEADERS_2

    @property
    def title(self) -> str:
        """The caption's title: the researcher's own, else the usual one in the project's words."""
        if self.options.caption_title is not None:
            return self.options.caption_title
        return caption_titles(self.words)[self.options.levels]

    def code_text(self, row: Table1Row) -> str:
        """The code as printed: "(codings, participants)" after it when counts are asked for."""
        if not self.options.show_counts:
            return row.code
        return f"{row.code} ({row.codings}, {row.participants})"

    def theme_columns(self) -> list[list[Span]]:
        """For each theme column, left to right, the spans its cells cover."""
        if self.options.levels == 2:
            return [_runs(self.rows, lambda r: ((r.final_id,), r.final))]
        return [_runs(self.rows, lambda r: ((r.final_id, r.emerging_id), r.emerging)),
                _runs(self.rows, lambda r: ((r.final_id,), r.final))]

    def flat_rows(self) -> list[list[str | int]]:
        """Every row with its themes repeated (CSV, XLSX); counts in their own columns."""
        result: list[list[str | int]] = []
        for row in self.rows:
            themes = [row.final] if self.options.levels == 2 else [row.emerging, row.final]
            counts = [row.codings, row.participants] if self.options.show_counts else []
            result.append([row.code, *themes, *counts])
        return result

    def flat_headers(self) -> list[str]:
        counts = ["Codings", "Participants"] if self.options.show_counts else []
        return [*self.headers, *counts]


def _runs(rows: tuple[Table1Row, ...],
          key: Callable[[Table1Row], tuple[tuple[int | None, ...], str]]) -> list[Span]:
    """Consecutive rows with the same key (the theme's ids, its text) form one span."""
    spans: list[Span] = []
    previous: object = object()
    for index, row in enumerate(rows):
        current = key(row)
        if spans and current == previous:
            spans[-1] = Span(spans[-1].text, spans[-1].first, index)
        else:
            spans.append(Span(current[1], index, index))
        previous = current
    return spans
