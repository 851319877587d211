"""The extracts report as a model: each final theme with its definition and representative
extract, its emerging themes, their codes and the extracts chosen for each code
(``analysis.extracts_report.build_extracts_report`` builds it, ``io.extracts_docx`` writes
it)."""

from __future__ import annotations

from dataclasses import dataclass

from thematic_workbench.core.queries.project import Extract
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords


@dataclass(frozen=True)
class ReportCode:
    """A code with its reach and the extracts chosen to show it."""

    id: int
    name: str
    definition: str
    codings: int
    participants: int
    extracts: tuple[Extract, ...]

    @property
    def left_out(self) -> int:
        """How many of its codings the report does not quote."""
        return self.codings - len(self.extracts)


@dataclass(frozen=True)
class ReportTheme:
    """A final or emerging theme; a final theme's ``emerging`` are the themes it groups, its
    ``codes`` those placed on it directly (rare, but the board allows it)."""

    id: int
    name: str
    level: str
    definition: str
    scope_notes: str
    representative: Extract | None
    codes: tuple[ReportCode, ...]
    emerging: tuple[ReportTheme, ...] = ()

    def all_codes(self) -> tuple[ReportCode, ...]:
        return self.codes + tuple(code for theme in self.emerging for code in theme.codes)


@dataclass(frozen=True)
class ExtractsReport:
    """The whole report; ``codes_left_out`` names the active codes that are in no theme."""

    project_title: str
    extracts_per_code: int | None
    finals: tuple[ReportTheme, ...]
    ungrouped: tuple[ReportTheme, ...]
    codes_left_out: tuple[str, ...]
    words: ThemeWords = EMERGING_FINAL  # the project's words for the two levels

    def themes(self) -> tuple[ReportTheme, ...]:
        """Every theme in report order: each final theme, then its emerging themes."""
        found: list[ReportTheme] = []
        for final in self.finals:
            found += [final, *final.emerging]
        return (*found, *self.ungrouped)
