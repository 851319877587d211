"""The project's words for the two theme levels as the window shows them.

Stored levels stay ``emerging`` and ``final``; every label of a level on a screen is read
here from the design sheet (a core query through the session), so that a view re-reads it
when a PROJECT change says the choice may have changed.
"""

from __future__ import annotations

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.theme_words import ThemeWords
from thematic_workbench.gui.common.change_follower import REVIEW_KINDS
from thematic_workbench.gui.session import ProjectSession

# What a review view follows when it also names the levels (PROJECT: the design sheet).
REVIEW_KINDS_AND_WORDS = REVIEW_KINDS | frozenset({Kind.PROJECT})
# A menu's mnemonic for each word: the letter the original menus used, so existing keys stay.
_MNEMONICS = {"emerging": "&emerging", "final": "fi&nal",
              "initial": "&initial", "developed": "de&veloped"}


def read_theme_words(session: ProjectSession) -> ThemeWords:
    """The words this project uses for emerging and final themes."""
    with session.read() as s:
        return project_theme_words(s)


def may_change_words(change: Change) -> bool:
    """Whether a change may have switched the words (the design sheet is the project's)."""
    return Kind.PROJECT in change.kinds()


def menu_word(words: ThemeWords, level: str) -> str:
    """The level's word with its mnemonic ("&emerging", "fi&nal", "&initial", "de&veloped")."""
    word = words.word(level)
    return _MNEMONICS.get(word, "&" + word)
