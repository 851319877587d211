"""The review panel: a supervisor's comment threads, their replies, and phase sign-offs.

Threads are listed open first, each labelled by what it is about ("Code · Running"); the
selected thread is shown in full below, with a box to reply and buttons to resolve or reopen
it. Clicking what a comment is about emits ``target_activated(kind, id)`` so the main window
can show that code, theme, coded extract or document. Only a supervisor may sign off a phase,
so the button says so, and is enabled only for one.
"""

from __future__ import annotations

import time
from html import escape

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.phases import phase_info
from thematic_workbench.core.services.coders import list_coders
from thematic_workbench.core.services.review import describe_target, latest_sign_offs
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.review.commands import (
    AddCommentCommand,
    ReopenCommentCommand,
    ResolveCommentCommand,
    SignOffPhaseCommand,
)
from thematic_workbench.gui.review.comments_model import (
    COMMENT_ID_ROLE,
    ROLE_NAMES,
    TARGET_ROLE,
    CommentRow,
    CommentsModel,
    about,
    kind_word,
    when,
)
from thematic_workbench.gui.review.dialogs import ask_comment, ask_sign_off
from thematic_workbench.gui.session import ProjectSession

EMPTY = ("<p style='color:#777'>No comments yet.</p><p style='color:#777'>To start a "
         "thread, right-click a code or theme (in the codes panel), a coded extract (in the "
         "transcript, the extracts list or a theme's review) or a document, and choose "
         "<i>Comment for review\N{HORIZONTAL ELLIPSIS}</i></p>")
PICK = "<p style='color:#777'>Select a comment to read its thread and reply.</p>"
HEADER_KINDS = frozenset({Kind.CODER, Kind.PROJECT, Kind.SIGN_OFF, Kind.PHASE_TRANSITION})


def signed_off_phases(session: ProjectSession) -> dict[int, str]:
    """Phase number -> 'Signed off by Sam Supervisor, 3 May 2025, 14:05': for the phase
    strip, from each phase's latest sign-off."""
    with session.read() as s:
        latest = latest_sign_offs(s)
    return {phase: f"Signed off by {view.coder}, {when(view.at)}"
            + (f": \N{LEFT DOUBLE QUOTATION MARK}{view.note}\N{RIGHT DOUBLE QUOTATION MARK}"
               if view.note else "")
            for phase, view in latest.items()}


class ReviewPanel(QWidget):
    """Comment threads over a reading pane; reply, resolve, reopen, sign off."""

    target_activated = Signal(str, int)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = CommentsModel(session, self)
        self._selected: int | None = None
        self._last_click: tuple[int, float] | None = None
        self.title = QLabel(self)
        self.title.setObjectName("reviewTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.sign_off_button = QPushButton(self)
        self.sign_off_button.setObjectName("signOffButton")
        self.sign_offs = QLabel(self)
        self.sign_offs.setObjectName("reviewSignOffs")
        self.sign_offs.setWordWrap(True)
        self.sign_offs.setTextFormat(Qt.TextFormat.RichText)
        self.view = self._make_view()
        self.reader = QTextBrowser(self)
        self.reader.setObjectName("reviewThread")
        self.reader.setOpenLinks(False)
        self.reply_box = QPlainTextEdit(self)
        self.reply_box.setObjectName("replyBox")
        self.reply_box.setPlaceholderText("Reply to this thread\N{HORIZONTAL ELLIPSIS}  "
                                          "(Ctrl+Enter sends)")
        self.reply_box.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.reply_button = QPushButton("Reply", self)
        self.resolve_button = QPushButton("Resolve", self)
        self.resolve_button.setToolTip("Mark this thread as dealt with")
        self.reopen_button = QPushButton("Reopen", self)
        self.reopen_button.setToolTip("Open this thread again")
        self._lay_out()
        self._connect()
        self._after_reload()
        self._update_header()

    def _make_view(self) -> QTreeView:
        view = QTreeView(self)
        view.setObjectName("commentsTree")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setUniformRowHeights(True)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CommentsModel.COMMENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CommentsModel.ABOUT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(CommentsModel.ABOUT, 230)
        for column in (CommentsModel.BY, CommentsModel.WHEN, CommentsModel.STATUS):
            # a review holds dozens of comments, not thousands: measuring them is cheap
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        return view

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.sign_off_button)
        lower = QWidget(self)
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.reader, 1)
        below.addWidget(self.reply_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reply_button)
        buttons.addStretch(1)
        buttons.addWidget(self.resolve_button)
        buttons.addWidget(self.reopen_button)
        below.addLayout(buttons)
        # Side by side: the panel sits in the wide, low dock area under the transcript.
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.sign_offs)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self.model.modelReset.connect(self._after_reload)
        self.model.dataChanged.connect(lambda *_args: self._after_data_change())
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._on_current(current))
        self.view.clicked.connect(self._on_clicked)
        self.view.activated.connect(self._on_activated)
        self.reader.anchorClicked.connect(self._on_anchor)
        self.reply_box.textChanged.connect(self._update_buttons)
        self.reply_button.clicked.connect(self.reply)
        self.reply_box.installEventFilter(self)  # Ctrl+Enter sends
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.sign_off_button.clicked.connect(self.sign_off)
        self.session.changed.connect(self._on_changed)

    # -- public API ------------------------------------------------------------------------
    def add_comment_on(self, kind: str, target_id: int) -> int | None:
        """Ask for a comment on a code, theme, coding or document; the new comment's id."""
        with self.session.read() as s:
            label = describe_target(s, kind, target_id)
        body = ask_comment(self, about(kind, label))
        if body is None or not body.strip():
            return None
        command = AddCommentCommand(self.session, kind, target_id, body)
        if not self.session.push(command):
            return None
        self.select_comment(command.comment_id)
        return command.comment_id

    def select_comment(self, comment_id: int | None) -> None:
        index = self.model.index_of_key(("comment", comment_id))
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def selected_comment(self) -> CommentRow | None:
        return self.model.comment(self._selected) if self._selected is not None else None

    def reply(self) -> None:
        row = self.selected_comment()
        body = self.reply_box.toPlainText()
        if row is None or not body.strip():
            return
        command = AddCommentCommand(self.session, row.target_kind, row.target_id, body,
                                    parent_id=row.thread_id)
        if self.session.push(command):
            self.reply_box.clear()
            self.select_comment(command.comment_id)

    def resolve_selected(self) -> None:
        row = self.selected_comment()
        if row is not None:
            self.session.push(ResolveCommentCommand(self.session, row.thread_id))

    def reopen_selected(self) -> None:
        row = self.selected_comment()
        if row is not None:
            self.session.push(ReopenCommentCommand(self.session, row.thread_id))

    def sign_off(self) -> None:
        """Ask which phase and for a note, then sign it off (a supervisor only)."""
        if not self.sign_off_button.isEnabled():
            return
        answer = ask_sign_off(self, self.session.phase())
        if answer is not None:
            self.session.push(SignOffPhaseCommand(self.session, *answer))

    def acting_role(self) -> str:
        """The acting coder's role; a coder not yet in the project is an analyst."""
        with self.session.read() as s:
            roles = {coder.name: coder.role for coder in list_coders(s)}
        return roles.get(self.session.coder, "analyst")

    # -- reacting --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.reply_box and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.reply()
            return True
        return super().eventFilter(watched, event)

    def _after_reload(self) -> None:
        """Expand every thread and select again the comment selected before (by id)."""
        self.view.expandAll()
        selected = self._selected
        index = self.model.index_of_key(("comment", selected))
        if index.isValid():
            self.view.setCurrentIndex(index)
        else:
            self._selected = None
        self._after_data_change()

    def _after_data_change(self) -> None:
        self._show_selected()
        opened, resolved = self.model.counts()
        summary = (f"{opened} open \N{MIDDLE DOT} {resolved} resolved"
                   if opened or resolved else "no comments yet")
        self.title.setText(f"<b>Review</b>&nbsp;&nbsp;<span style='color:#777'>"
                           f"{summary}</span>")

    def _on_current(self, current: QModelIndex) -> None:
        self._selected = current.data(COMMENT_ID_ROLE) if current.isValid() else None
        self._show_selected()

    def _show_selected(self) -> None:
        row = self.selected_comment()
        if row is None:
            self.reader.setHtml(EMPTY if self.model.rowCount() == 0 else PICK)
        else:
            self.reader.setHtml(self._thread_html(row.thread_id))
        self._update_buttons()

    def _thread_html(self, thread_id: int) -> str:
        first = self.model.comment(thread_id)
        assert first is not None
        replies = [self.model.comment(i) for i in self._reply_ids(thread_id)]
        parts = [f"<p style='color:#777'>{escape(kind_word(first.target_kind))} "
                 f"\N{MIDDLE DOT} <a href='target:{first.target_kind}:{first.target_id}'>"
                 f"{escape(first.target_name)}</a></p>", _comment_html(first, 0)]
        parts += [_comment_html(reply, 28) for reply in replies if reply is not None]
        if first.status == "resolved":
            parts.append(f"<p style='color:#4E8A4E'>\N{CHECK MARK} Resolved by "
                         f"{escape(first.resolved_by or '')}, {when(first.resolved_at)}</p>")
        return "".join(parts)

    def _reply_ids(self, thread_id: int) -> list[int]:
        parent = self.model.index_of_key(("comment", thread_id))
        return [self.model.index(r, 0, parent).data(COMMENT_ID_ROLE)
                for r in range(self.model.rowCount(parent))]

    def _update_buttons(self) -> None:
        row = self.selected_comment()
        writable = not self.session.readonly
        self.reply_box.setEnabled(row is not None and writable)
        self.reply_button.setEnabled(row is not None and writable
                                     and bool(self.reply_box.toPlainText().strip()))
        self.resolve_button.setEnabled(writable and row is not None and row.status == "open")
        self.reopen_button.setEnabled(writable and row is not None
                                      and row.status == "resolved")

    def _update_header(self) -> None:
        phase = self.session.phase()
        role = self.acting_role()
        self.sign_off_button.setText(f"Sign off phase {phase}\N{HORIZONTAL ELLIPSIS}")
        supervisor = role == "supervisor" and not self.session.readonly
        self.sign_off_button.setEnabled(supervisor)
        self.sign_off_button.setToolTip(
            f"Record that phase {phase} ({phase_info(phase).name}) has been checked"
            if supervisor else
            f"Only a supervisor can sign off a phase; {self.session.coder} is "
            f"{'an' if ROLE_NAMES.get(role, role)[0] in 'aeiou' else 'a'} "
            f"{ROLE_NAMES.get(role, role)}.")
        signed = signed_off_phases(self.session)
        self.sign_offs.setVisible(bool(signed))
        self.sign_offs.setText("<br>".join(
            f"<span style='color:#4E8A4E'>\N{CHECK MARK}</span> Phase {phase}: "
            f"{escape(text)}" for phase, text in sorted(signed.items())))

    def _on_changed(self, change: Change) -> None:
        if kinds_of(change) & HEADER_KINDS:
            self._update_header()

    def _on_clicked(self, index: QModelIndex) -> None:
        self._last_click = (index.row(), time.monotonic())
        if index.column() == CommentsModel.ABOUT and index.data():
            self.target_activated.emit(*index.data(TARGET_ROLE))

    def _on_activated(self, index: QModelIndex) -> None:
        """Enter or a double-click; a click on the target has already emitted."""
        recent = self._last_click is not None and self._last_click[0] == index.row() and \
            time.monotonic() - self._last_click[1] < QApplication.doubleClickInterval() / 1000
        if not (recent and index.column() == CommentsModel.ABOUT):
            self.target_activated.emit(*index.data(TARGET_ROLE))

    def _on_anchor(self, url: QUrl) -> None:
        kind, _, target_id = url.toString().removeprefix("target:").partition(":")
        if target_id.isdigit():
            self.target_activated.emit(kind, int(target_id))


def _comment_html(row: CommentRow, indent: int) -> str:
    body = "<br>".join(escape(line) for line in row.body.splitlines())
    role = f" ({escape(row.role)})" if row.role else ""
    return (f"<p style='margin-left:{indent}px; margin-top:10px; margin-bottom:0'>"
            f"<b>{escape(row.author)}</b><span style='color:#777'>{role} \N{MIDDLE DOT} "
            f"{when(row.created_at)}</span></p>"
            f"<p style='margin-left:{indent}px; margin-top:2px'>{body}</p>")
