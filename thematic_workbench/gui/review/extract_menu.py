"""What can be done to one coded extract wherever extracts are listed (the extracts panel,
a theme's collated extracts): open it in the transcript, remove the coding, recode it,
edit its memo, comment on it for review, copy it with its citation; and, where the list
says what it lists, export every extract of it (``gui.exchange.segments_dialog``).

One menu for every list, so the same words and keys work everywhere: a right-click (or the
Menu key, or Shift+F10) opens it on the extract under the mouse or the current one; Delete
removes the current extract's coding and Ctrl+Shift+C copies it with its citation. Every
change is an undo command; in a read-only project the editing entries are disabled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QInputDialog,
    QMenu,
    QWidget,
)

from thematic_workbench.core.queries.project import Extract, code_summaries
from thematic_workbench.core.queries.theme_extracts import CodedExtract
from thematic_workbench.gui.coding.commands import (
    RecodeCodingCommand,
    RemoveCodingCommand,
    SetMemoCommand,
)
from thematic_workbench.gui.coding.quick_code import CodeChoice, QuickCodeBox
from thematic_workbench.gui.exchange.segments_dialog import SegmentsExporter
from thematic_workbench.gui.session import ProjectSession

ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
# key, words, keys shown in the menu; the order is the menu's
ENTRIES = (
    ("open", "Open in transcript", "Return"),
    ("copy", "Copy with citation", "Ctrl+Shift+C"),
    ("recode", f"Recode as{ELLIPSIS}", None),
    ("memo", f"Edit memo{ELLIPSIS}", None),
    ("remove", "Remove this coding", "Delete"),
    ("comment", f"Comment for review{ELLIPSIS}", None),
    ("export", f"Export these extracts{ELLIPSIS}", None),
)
EDITING = frozenset({"recode", "memo", "remove", "comment"})
SEPARATED_BEFORE = frozenset({"recode", "comment", "export"})
KEYED = ("copy", "remove")  # keys that act on the current extract of the list itself


@dataclass(frozen=True)
class ExtractTarget:
    """One coded extract as the menu needs it: its coding, place, words and code."""

    coding_id: int
    document_id: int
    start: int
    end: int
    text: str
    citation: str  # "[PA, lines 12-14]"
    code_id: int
    code: str
    memo: str

    @classmethod
    def of(cls, extract: Extract, code_id: int, code: str) -> ExtractTarget:
        return cls(extract.coding_id, extract.document_id, extract.start, extract.end,
                   extract.text, extract.citation, code_id, code, extract.memo)

    @classmethod
    def of_coded(cls, item: CodedExtract) -> ExtractTarget:
        return cls.of(item.extract, item.code_id, item.code)


def with_citation(target: ExtractTarget) -> str:
    """The extract's words on one line, then its citation: ``I go for a run [PA, line 4]``."""
    return f"{' '.join(target.text.split())} {target.citation}"


def ask_code(parent: QWidget | None, codes: list[tuple[int, str, str]],
             target: ExtractTarget) -> CodeChoice | None:
    """Which code the extract should carry instead (an existing one, or a new name)."""
    box = QuickCodeBox(codes, [], target.text, parent,
                       title=f"Recode \N{LEFT SINGLE QUOTATION MARK}{target.code}"
                       "\N{RIGHT SINGLE QUOTATION MARK} as")
    return box.choice if box.exec() == QDialog.DialogCode.Accepted else None


def ask_memo(parent: QWidget | None, target: ExtractTarget) -> str | None:
    """The coding's memo as the user leaves it, or None if cancelled."""
    text, ok = QInputDialog.getMultiLineText(
        parent, "Coding memo", f"Memo on \N{LEFT SINGLE QUOTATION MARK}{target.code}"
        f"\N{RIGHT SINGLE QUOTATION MARK} {target.citation}:", target.memo)
    return text if ok else None


Locate = Callable[[QPoint | None], tuple[ExtractTarget, QPoint] | None]


class ExtractMenu(QObject):
    """The context menu and keys of the extracts in one view.

    ``locate(pos)`` finds the extract at ``pos`` (viewport coordinates), or the current one
    when ``pos`` is None, with the point (viewport coordinates) to open the menu at.
    ``listed()``, when given, gives the coding ids of every extract the view lists, for
    "Export these extracts…" (a CSV, Excel or Word file of exactly those).
    """

    open_requested = Signal(int, int, int)
    comment_requested = Signal(str, int)  # ("coding", coding id)

    def __init__(self, session: ProjectSession, view: QAbstractScrollArea,
                 locate: Locate, listed: Callable[[], list[int]] | None = None) -> None:
        super().__init__(view)
        self.session = session
        self.view = view
        self.locate = locate
        self.listed = listed
        self.exporter: SegmentsExporter | None = None
        self.menu: QMenu | None = None
        for widget in (view, view.viewport()):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
            widget.installEventFilter(self)
        self.keys: dict[str, QAction] = {}
        for key in KEYED:
            action = self._action(key, view, self._current_runner(key))
            view.addAction(action)
            self.keys[key] = action
        menu_key = QAction("Show the extract's menu", view)
        menu_key.setShortcut(QKeySequence("Shift+F10"))
        menu_key.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        menu_key.triggered.connect(lambda: self.popup(None))
        view.addAction(menu_key)
        self.keys["menu"] = menu_key

    # -- the menu --------------------------------------------------------------------------
    def build(self, target: ExtractTarget) -> QMenu:
        """The menu for one extract, each entry bound to it."""
        menu = QMenu(self.view)
        menu.setObjectName("extractMenu")
        writable = not self.session.readonly
        for key, _words, _keys in ENTRIES:
            if key == "export" and self.listed is None:
                continue
            if key in SEPARATED_BEFORE:
                menu.addSeparator()
            action = self._action(key, menu, partial(self.act, key, target))
            action.setEnabled(writable or key not in EDITING)
            if not action.isEnabled():
                action.setToolTip("The project is open read-only")
            menu.addAction(action)
        menu.setToolTipsVisible(True)
        return menu

    def popup(self, pos: QPoint | None) -> bool:
        """Open the menu on the extract at ``pos`` (None: the current one); False if none."""
        found = self.locate(pos)
        if found is None:
            return False
        target, where = found
        self.menu = self.build(target)
        self.menu.popup(self.view.viewport().mapToGlobal(where))
        return True

    def act(self, key: str, target: ExtractTarget) -> None:
        """Do one entry of the menu on ``target``."""
        if key == "open":
            self.open_requested.emit(target.document_id, target.start, target.end)
        elif key == "copy":
            QApplication.clipboard().setText(with_citation(target))
        elif key == "remove":  # read-only: the session refuses, saying why
            self.session.push(RemoveCodingCommand(self.session, target.coding_id))
        elif key == "export" and self.listed is not None:
            if self.exporter is None:
                self.exporter = SegmentsExporter(self.session, self.view)
            self.exporter.export_codings(self.listed())
        elif self.session.readonly:
            return
        elif key == "recode":
            self._recode(target)
        elif key == "memo":
            memo = ask_memo(self.view, target)
            if memo is not None and memo.strip() != target.memo.strip():
                self.session.push(SetMemoCommand(self.session, target.coding_id, memo))
        elif key == "comment":
            self.comment_requested.emit("coding", target.coding_id)

    def _recode(self, target: ExtractTarget) -> None:
        with self.session.read() as s:
            codes = [(code.id, code.name, code.colour) for code in code_summaries(s)
                     if code.id != target.code_id]
        choice = ask_code(self.view, codes, target)
        if choice is None:
            return
        if choice.code_id is not None:
            command = RecodeCodingCommand(self.session, target.coding_id, code_id=choice.code_id)
        else:
            command = RecodeCodingCommand(self.session, target.coding_id,
                                          new_code_name=choice.name)
        self.session.push(command)

    # -- reacting --------------------------------------------------------------------------
    @staticmethod
    def _action(key: str, parent: QObject, run: Callable[[], None]) -> QAction:
        """An entry; in a menu its keys are only shown (after a tab), since a shortcut
        there would take Return from the entry the user has highlighted."""
        words, keys = next((w, k) for k_, w, k in ENTRIES if k_ == key)
        action = QAction(words, parent)
        action.setObjectName(f"extract_{key}")
        if keys and isinstance(parent, QMenu):
            shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            action.setText(f"{words}\t{shown}")
        elif keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: run())
        return action

    def _current_runner(self, key: str) -> Callable[[], None]:
        return lambda: self._on_current(key)

    def _on_current(self, key: str) -> None:
        found = self.locate(None)
        if found is not None:
            self.act(key, found[0])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            viewport = self.view.viewport()
            pos: QPoint | None = None  # by the keyboard: at the current extract
            if event.reason() != QContextMenuEvent.Reason.Keyboard:
                pos = viewport.mapFrom(watched, event.pos()) \
                    if watched is not viewport and isinstance(watched, QWidget) else event.pos()
            self.popup(pos)
            return True
        return super().eventFilter(watched, event)
