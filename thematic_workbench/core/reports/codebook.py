"""The codebook as a report model: one row per place a code has on the theme board
(``analysis.codebook.build_codebook`` builds it, ``io.codebook_files`` writes it)."""

from __future__ import annotations

from dataclasses import dataclass

from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords


@dataclass(frozen=True)
class CodebookEntry:
    code_id: int
    code: str
    definition: str
    colour: str
    emerging_theme: str  # "" when the code sits directly in a final theme, or in none
    final_theme: str  # "" when the emerging theme is in no final theme, or in none
    codings: int
    participants: int
    example: str  # "" when the code has no codings
    citation: str  # "[PA, lines 120-134]"


@dataclass(frozen=True)
class CodebookModel:
    title: str
    entries: tuple[CodebookEntry, ...]
    words: ThemeWords = EMERGING_FINAL  # the project's words for the two theme levels

    @property
    def code_count(self) -> int:
        return len({entry.code_id for entry in self.entries})
