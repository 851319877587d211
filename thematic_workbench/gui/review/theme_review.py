"""Reviewing one theme against its data: its extracts collated by code, readable like a
document, each with its citation (``[PA, lines 120-134]``) as a link to the transcript.

Braun and Clarke's first review check is whether a theme's extracts cohere; reading them
together, code by code, is how it is done. A click on a citation emits
``extract_activated(document_id, start, end)`` (code points) to open the transcript there.
A right-click on an extract (or its memo), or the Menu key on the citation reached with Tab,
opens the extract menu of ``gui.review.extract_menu``: open, copy with citation, recode,
edit memo, remove the coding, comment for review (``comment_requested("coding", id)``).
The extracts are those of the codings the window shows (``session.coders_shown``); when
that is not everyone's, the theme's summary line says whose they are.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QFont, QTextBlock, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.analysis.theme_matrix import (
    BoardTheme,
    CodeSection,
    CollatedTheme,
    board_themes,
    collate_theme,
)
from thematic_workbench.core.queries.project import Extract
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.coders_shown import whose
from thematic_workbench.gui.common.level_words import REVIEW_KINDS_AND_WORDS
from thematic_workbench.gui.review import ChangeFollower
from thematic_workbench.gui.review.extract_menu import ExtractMenu, ExtractTarget
from thematic_workbench.gui.session import ProjectSession

LINK_SCHEME = "extract"
INDENT = "\N{EN SPACE}\N{EN SPACE}\N{EN SPACE}"
STYLE = """
h2 { color: #1F2933; margin-bottom: 2px; }
h3 { color: #1F2933; margin-top: 20px; margin-bottom: 4px; }
p { margin-top: 0px; }
a { color: #2F5D8A; text-decoration: none; }
.meta, .via, .empty { color: #6B7280; }
.count { color: #6B7280; font-weight: normal; font-size: small; }
.definition { margin-bottom: 6px; }
.extract { margin-left: 18px; margin-bottom: 8px; }
.memo { margin-left: 18px; margin-bottom: 8px; color: #6B7280; font-style: italic; }
"""
NO_THEMES = ("No themes yet. Group codes into themes on the board; each theme's extracts "
             "are collated here, code by code.")
PICK = "Pick a theme to read its extracts, code by code."
GONE = "The theme shown here no longer exists."


def _href(extract: Extract) -> str:
    return (f"{LINK_SCHEME}:{extract.document_id}/{extract.start}/{extract.end}/"
            f"{extract.coding_id}")


def _block_coding(block: QTextBlock) -> int | None:
    """The coding whose citation link a paragraph holds, if any."""
    fragments = block.begin()
    while not fragments.atEnd():
        href = fragments.fragment().charFormat().anchorHref()
        if href.startswith(f"{LINK_SCHEME}:"):
            parts = href.removeprefix(f"{LINK_SCHEME}:").split("/")
            return int(parts[3]) if len(parts) == 4 and parts[3].isdigit() else None
        fragments += 1
    return None


def _extract_html(extract: Extract) -> str:
    text = "<br>".join(escape(" ".join(line.split())) for line in extract.text.strip()
                       .split("\n") if line.strip())
    html = (f'<p class="extract">\N{LEFT DOUBLE QUOTATION MARK}{text}'
            f'\N{RIGHT DOUBLE QUOTATION MARK}&nbsp; '
            f'<a href="{escape(_href(extract))}">{escape(extract.citation)}</a></p>')
    if extract.memo.strip():
        html += f'<p class="memo">Memo: {escape(" ".join(extract.memo.split()))}</p>'
    return html


def _section_html(section: CodeSection, final: bool, filtered: bool) -> str:
    count = len(section.extracts)
    people = len({e.participant for e in section.extracts if e.participant is not None})
    reach = plural(count, "extract") + (f" from {plural(people, 'participant')}"
                                         if people else "")
    parts = [f'<h3><span style="color:{escape(section.colour)}">\N{BLACK SQUARE}</span>'
             f'&nbsp;{escape(section.code)}&nbsp; '
             f'<span class="count">{reach}</span></h3>']
    if final and section.via:
        parts.append(f'<p class="via">from {escape(", ".join(section.via))}</p>')
    if not section.extracts:
        among = " among the codings shown" if filtered else ""
        parts.append(f'<p class="extract empty">No extracts coded yet{among}.</p>')
    parts.extend(_extract_html(extract) for extract in section.extracts)
    return "".join(parts)


def review_html(collated: CollatedTheme, shown: str | None = None,
                words: ThemeWords = EMERGING_FINAL) -> str:
    """The theme as a document: name, what it is, its definition, then code by code;
    ``shown`` says whose codings the extracts are, when not everyone's ("mine only")."""
    theme = collated.theme
    final = theme.level == "final"
    facts = [words.theme(theme.level, True)]
    if theme.group:
        facts[0] += f" in \N{LEFT DOUBLE QUOTATION MARK}{escape(theme.group)}" \
                    "\N{RIGHT DOUBLE QUOTATION MARK}"
    if final:
        facts.append(f"{plural(len(collated.children), words.theme('emerging'))}")
    facts.append(plural(len(collated.sections), "code"))
    facts.append(f"{plural(collated.extract_count, 'extract')} from "
                 f"{plural(collated.participants, 'participant')}")
    if shown is not None:
        facts.append(f"<b>codings: {escape(shown)}</b>")
    parts = [f"<h2>{escape(theme.name)}</h2>",
             f'<p class="meta">{" · ".join(facts)}</p>']
    if collated.definition.strip():
        parts.append(f'<p class="definition"><i>{escape(collated.definition.strip())}</i></p>')
    if not collated.sections:
        parts.append('<p class="empty">This theme has no codes yet.</p>')
    parts.extend(_section_html(section, final, shown is not None)
                 for section in collated.sections)
    return "".join(parts)


class ThemeReviewView(QWidget):
    """A theme picker over a reading pane of the theme's collated extracts."""

    extract_activated = Signal(int, int, int)
    comment_requested = Signal(str, int)  # ("coding", coding id)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.words: ThemeWords = EMERGING_FINAL  # the project's, read with the themes
        self.theme_id: int | None = None
        self.collated: CollatedTheme | None = None
        self.targets: dict[int, ExtractTarget] = {}  # coding id -> what the menu acts on
        self._blocks: dict[int, int] = {}  # paragraph number -> coding id
        self.picker = QComboBox(self)
        self.picker.setObjectName("themePicker")
        self.picker.setMinimumContentsLength(32)
        self.picker.setPlaceholderText("Pick a theme")
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        hint = QLabel("Click a citation to open it; right-click for more.", self)
        hint.setWordWrap(True)
        hint.setToolTip("Click a citation to open the transcript there. Right-click an "
                        "extract (or Tab to its citation and press the Menu key) to copy, "
                        "recode, remove or comment on it.")
        hint.setStyleSheet("color: #6B7280;")
        hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        hint.setMinimumWidth(0)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 0)
        bar.addWidget(QLabel("Theme", self))
        bar.addWidget(self.picker)
        bar.addSpacing(12)
        bar.addWidget(hint, 1)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("themeReviewText")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDefaultStyleSheet(STYLE)
        self.browser.document().setDocumentMargin(14)
        self.browser.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        self.picker.activated.connect(self._picked)
        self.browser.anchorClicked.connect(self._on_anchor)
        self.menu = ExtractMenu(session, self.browser, self._locate, self.listed_codings)
        self.menu.open_requested.connect(self.extract_activated)
        self.menu.comment_requested.connect(self.comment_requested)
        self.follower = ChangeFollower(self, session, self.refresh, REVIEW_KINDS_AND_WORDS)
        session.coders_shown_changed.connect(self.follower.touch)
        self.refresh()

    # -- public API ------------------------------------------------------------------------
    def show_theme(self, theme_id: int) -> None:
        """Show a theme's extracts (and pick it in the list, if it is on the board)."""
        same = theme_id == self.theme_id
        self.theme_id = theme_id
        self.refresh(keep_place=same)

    def refresh(self, keep_place: bool = True) -> None:
        """Re-read the themes and the one shown, keeping the reading place."""
        coders = self.session.coders_shown
        with self.session.read() as s:
            board = board_themes(s)
            self.words = project_theme_words(s)
            collated = collate_theme(s, self.theme_id, coders) \
                if self.theme_id is not None else None
        self._fill_picker(board)
        self.collated = collated
        scroll = self.browser.verticalScrollBar()
        place = scroll.value() if keep_place else 0
        if collated is not None:
            self.browser.setHtml(review_html(
                collated, None if coders is None else whose(coders, self.session.coder),
                self.words))
        else:
            message = NO_THEMES if not board else GONE if self.theme_id is not None else PICK
            self.browser.setHtml(f'<p class="empty">{escape(message)}</p>')
        self._map_extracts(collated)
        scroll.setValue(place)

    def text(self) -> str:
        """The reading pane as plain text (what a screen reader would say)."""
        return self.browser.toPlainText()

    def listed_codings(self) -> list[int]:
        """The codings of the extracts shown, in reading order (for "Export these
        extracts…")."""
        return list(self.targets)

    def target_at_text(self, position: int) -> ExtractTarget | None:
        """The extract whose paragraph (or memo) holds a position of the reading pane."""
        block = self.browser.document().findBlock(position)
        coding_id = self._blocks.get(block.blockNumber())
        return self.targets.get(coding_id) if coding_id is not None else None

    # -- the extracts in the pane ----------------------------------------------------------
    def _map_extracts(self, collated: CollatedTheme | None) -> None:
        """Which paragraph is which extract: its own, and the memo printed under it."""
        self.targets = {} if collated is None else {
            extract.coding_id: ExtractTarget.of(extract, section.code_id, section.code)
            for section in collated.sections for extract in section.extracts}
        self._blocks = {}
        previous: int | None = None
        block = self.browser.document().firstBlock()
        while block.isValid():
            coding_id = _block_coding(block)
            if coding_id is None and block.blockFormat().headingLevel() == 0:
                coding_id, previous = previous, None  # a memo belongs to the extract above
            else:
                previous = coding_id
            if coding_id is not None:
                self._blocks[block.blockNumber()] = coding_id
            block = block.next()

    def _locate(self, pos: QPoint | None) -> tuple[ExtractTarget, QPoint] | None:
        """The extract under ``pos`` (viewport coordinates), or at the text cursor."""
        cursor = self.browser.cursorForPosition(pos) if pos is not None else \
            self.browser.textCursor()
        target = self.target_at_text(cursor.position())
        if target is None:
            return None
        if pos is None:
            shown = QTextCursor(cursor)
            shown.setPosition(cursor.selectionStart() if cursor.hasSelection()
                              else cursor.position())
            pos = self.browser.cursorRect(shown).center()
        return target, pos

    # -- reacting --------------------------------------------------------------------------
    def _fill_picker(self, board: list[BoardTheme]) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        bold = QFont(self.picker.font())
        bold.setBold(True)
        loose_started = False
        for theme in board:
            if theme.level == "emerging" and theme.group is None and not loose_started:
                loose_started = True
                if self.picker.count():
                    self.picker.insertSeparator(self.picker.count())
            indent = INDENT if theme.group else ""
            self.picker.addItem(f"{indent}{theme.name}", theme.id)
            tip = self.words.theme(theme.level, True) + \
                (f" in “{theme.group}”" if theme.group else "")
            self.picker.setItemData(self.picker.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            if theme.level == "final":
                self.picker.setItemData(self.picker.count() - 1, bold, Qt.ItemDataRole.FontRole)
        self.picker.setCurrentIndex(self.picker.findData(self.theme_id)
                                    if self.theme_id is not None else -1)
        self.picker.setEnabled(bool(board))
        self.picker.blockSignals(False)

    def _picked(self, index: int) -> None:
        theme_id = self.picker.itemData(index)
        if isinstance(theme_id, int):
            self.show_theme(theme_id)

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() != LINK_SCHEME:
            return
        try:
            document_id, start, end = (int(part) for part in url.path().split("/")[:3])
        except ValueError:
            return
        self.extract_activated.emit(document_id, start, end)
