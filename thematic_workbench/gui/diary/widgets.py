"""The diary panel's small parts: the entry list's delegate, the link chips that wrap onto
new lines, and the dialog that picks what to link to.

``choose_link`` is a module-level function so a test can stand in for the user.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QTextBlockFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.phases import PHASES
from thematic_workbench.core.services.diary import LinkView
from thematic_workbench.gui.diary.model import (
    DATE_ROLE,
    DETAIL_ROLE,
    KIND_NAMES,
    PHASE_ROLE,
    link_text,
)

AnyIndex = QModelIndex | QPersistentModelIndex
BADGE_FILL, BADGE_INK, RULE = QColor("#DCE6F0"), QColor("#2F5D8A"), QColor("#E5E7EB")
LINK_ROLE = Qt.ItemDataRole.UserRole + 1
DIARY_STYLE = """
QFrame#diaryChip { background: #EEF2F7; border: 1px solid #CFD9E6; border-radius: 11px; }
QFrame#diaryChip[kind="theme"] { background: #EDF5EE; border-color: #CBE0CE; }
QFrame#diaryChip[kind="document"] { background: #F8F3E8; border-color: #E5D9BE; }
QToolButton#diaryLink { border: none; color: #1F4E79; text-decoration: underline;
                        padding: 2px 2px 2px 8px; }
QToolButton#diaryLink:disabled { color: #6B7280; text-decoration: none; }
QToolButton#diaryUnlink { border: none; color: #6B7280; padding: 0 6px 0 2px; }
QLabel#diaryStamp, QLabel#diaryState { color: #5B6470; }
"""


class EntryDelegate(QStyledItemDelegate):
    """Two lines per entry: phase badge, headline and date; then coder and text, greyed."""

    PAD = 8

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(200, option.fontMetrics.lineSpacing() * 2 + self.PAD * 2 + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        headline, item.text = item.text, ""
        if item.widget is not None:  # the row's background and selection, as the style has it
            item.widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, item,
                                            painter, item.widget)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        ink = item.palette.color(QPalette.ColorRole.HighlightedText if selected
                                 else QPalette.ColorRole.Text)
        soft = ink if selected else item.palette.color(QPalette.ColorRole.PlaceholderText)
        box = item.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD - 2, -self.PAD)
        line = item.fontMetrics.lineSpacing()
        top_line = QRect(box.left(), box.top(), box.width(), line)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        badge = self._badge(painter, item.font, f"P{index.data(PHASE_ROLE)}", top_line)
        painter.setFont(item.font)
        painter.setPen(soft)
        date = str(index.data(DATE_ROLE))
        painter.drawText(top_line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         date)
        bold = QFont(item.font)
        bold.setBold(True)
        painter.setFont(bold)
        room = box.width() - badge.width() - item.fontMetrics.horizontalAdvance(date) - 20
        painter.setPen(ink)
        painter.drawText(top_line.adjusted(badge.width() + 8, 0, 0, 0), left,
                         painter.fontMetrics().elidedText(headline,
                                                          Qt.TextElideMode.ElideRight, room))
        painter.setFont(item.font)
        painter.setPen(soft)
        painter.drawText(top_line.translated(0, line + 4), left, item.fontMetrics.elidedText(
            str(index.data(DETAIL_ROLE)), Qt.TextElideMode.ElideRight, box.width()))
        painter.setPen(RULE)
        painter.drawLine(item.rect.bottomLeft(), item.rect.bottomRight())
        painter.restore()

    @staticmethod
    def _badge(painter: QPainter, font: QFont, text: str, line: QRect) -> QRect:
        """The phase as a small tinted pill at the start of the line."""
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.85)
        small.setBold(True)
        painter.setFont(small)
        badge = QRect(line.left(), line.top() + 1,
                      painter.fontMetrics().horizontalAdvance(text) + 10, line.height() - 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BADGE_FILL)
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(BADGE_INK)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        return badge


def phase_filter(parent: QWidget) -> QComboBox:
    """"All phases" and the six phases, each item's data its number (None for all)."""
    combo = QComboBox(parent)
    combo.addItem("All phases", None)
    for info in PHASES:
        combo.addItem(f"P{info.number} \N{MIDDLE DOT} {info.reflexive_name}", info.number)
    combo.setToolTip("Show the entries written in one phase")
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(9)
    combo.view().setMinimumWidth(300)  # the list shows the phases' names in full
    return combo


def render_markdown(browser: QTextBrowser, text: str) -> None:
    """Markdown as Qt renders it, with air between paragraphs and lines: Qt's own spacing
    is tight enough to make a reflective note read like a form."""
    document = browser.document()
    document.setMarkdown(text)
    document.setDocumentMargin(12)
    cursor = QTextCursor(document)
    block = document.begin()
    while block.isValid():
        spaced = QTextBlockFormat(block.blockFormat())
        spaced.setBottomMargin(max(spaced.bottomMargin(), 6))
        spaced.setLineHeight(125, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.setPosition(block.position())
        cursor.setBlockFormat(spaced)
        block = block.next()


def link_chip(parent: QWidget, link: LinkView, on_open: Callable[[], None],
              on_remove: Callable[[], None]) -> QFrame:
    """A rounded chip: the link's name (click to open it) and a small × to remove it."""
    chip = QFrame(parent)
    chip.setObjectName("diaryChip")
    chip.setProperty("kind", link.kind)
    name = QToolButton(chip)
    name.setObjectName("diaryLink")
    name.setText(link_text(link))
    name.setCursor(Qt.CursorShape.PointingHandCursor)
    name.setEnabled(link.label is not None)
    kind = KIND_NAMES[link.kind].lower()
    name.setToolTip(f"Open the {kind} '{link.label}'" if link.label is not None
                    else f"This {kind} has been deleted")
    name.clicked.connect(lambda: on_open())  # not clicked's bool
    unlink = QToolButton(chip)
    unlink.setObjectName("diaryUnlink")
    unlink.setText("\N{MULTIPLICATION SIGN}")
    unlink.setToolTip("Remove this link")
    unlink.setAccessibleName(f"Remove the link to {link_text(link)}")
    unlink.clicked.connect(lambda: on_remove())
    row = QHBoxLayout(chip)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(0)
    row.addWidget(name)
    row.addWidget(unlink)
    return chip


def choose_link(parent: QWidget, targets: Sequence[LinkView]) -> LinkView | None:
    """A filterable list of codes, themes and transcripts; the one chosen, or None."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Link diary entry")
    search = QLineEdit(dialog)
    search.setPlaceholderText("Filter codes, themes and transcripts")
    search.setClearButtonEnabled(True)
    listing = QListWidget(dialog)
    listing.setSpacing(1)
    for target in targets:
        item = QListWidgetItem(f"{target.label}  \N{EM DASH} {KIND_NAMES[target.kind].lower()}",
                               listing)
        item.setData(LINK_ROLE, target)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")

    def narrow(text: str) -> None:
        needle = text.strip().casefold()
        for row in range(listing.count()):
            listing.item(row).setHidden(needle not in listing.item(row).text().casefold())
        shown = [row for row in range(listing.count()) if not listing.item(row).isHidden()]
        listing.setCurrentRow(shown[0] if shown else -1)

    search.textChanged.connect(narrow)
    listing.itemDoubleClicked.connect(dialog.accept)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(search)
    layout.addWidget(listing)
    layout.addWidget(buttons)
    dialog.resize(380, 420)
    narrow("")
    if dialog.exec() != QDialog.DialogCode.Accepted or listing.currentItem() is None:
        return None
    chosen = listing.currentItem()
    return None if chosen.isHidden() else chosen.data(LINK_ROLE)
