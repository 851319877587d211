"""The project's language: which word forms search finds and which stop words the word
frequencies leave out (English unless the researcher chooses another)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from thematic_workbench.core.changes import Change
from thematic_workbench.core.finding.wordforms import LANGUAGES, project_language
from thematic_workbench.core.services.speakers import set_project_language
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand


def language_title(language: str) -> str:
    """"english" as "English"; Snowball names are lower case."""
    return language.capitalize()


class SetLanguageCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, language: str) -> None:
        super().__init__(session, f"Set the project's language to {language_title(language)}")
        self.language = language
        self.previous: str | None = None

    def apply(self, tx: Tx) -> Change:
        self.previous = project_language(tx.session)
        change = set_project_language(tx, self.language)
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.previous is not None
        return set_project_language(tx, self.previous)


def ask_project_language(session: ProjectSession, parent: QWidget) -> None:
    """Choose the project's language from the languages word forms exist for."""
    with session.read() as s:
        current = project_language(s)
    titles = [language_title(language) for language in LANGUAGES]
    title, ok = QInputDialog.getItem(
        parent, "Project language",
        "The language of the transcripts. Search uses it to find word forms (risk, risks, "
        "risky) and word frequencies to leave out its stop words:",
        titles, LANGUAGES.index(current), False)
    if ok and not session.readonly and title.casefold() != current:
        session.push(SetLanguageCommand(session, title.casefold()))
