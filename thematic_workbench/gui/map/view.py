"""The map of themes as a tab: drag nodes, draw labelled links, zoom and pan, re-run the
layout, show or hide codes and co-occurrence, click a node to see its extracts, export the
figure. Every change to the project is an undo command; view choices are not.

Words stay readable: Fit never shrinks the map below the scale at which every theme's name
can be read (the rest of a large map is a scroll away), and labels too small to read are not
drawn (see ``items``); the hint under the map says what zooming in would show. Arrange asks
before it replaces positions the researcher saved, and the export shows the figure first.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QKeySequence,
    QPainter,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGraphicsView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Kind
from thematic_workbench.core.services.map_layout import NodeKey, node_positions
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.change_follower import ChangeFollower
from thematic_workbench.gui.common.workers import Job
from thematic_workbench.gui.map.commands import (
    DeleteLinkCommand,
    LinkThemesCommand,
    PlaceNodesCommand,
    Positions,
    RelabelLinkCommand,
)
from thematic_workbench.gui.map.data import MapContent, layout_positions, load_map
from thematic_workbench.gui.map.export_preview import FigureChoice, MapExportPreview
from thematic_workbench.gui.map.items import EdgeItem, LinkLabel
from thematic_workbench.gui.map.scene import MapScene, far_apart
from thematic_workbench.gui.session import ProjectSession

# PROJECT: the design sheet's words for the theme levels
WATCHED = frozenset({Kind.THEME, Kind.CODE, Kind.THEME_MEMBERSHIP, Kind.THEME_LINK, Kind.MAP_THEME,
                     Kind.MAP_CODE, Kind.CODING, Kind.PROJECT})
LINK_LABELS = ("flows into", "overlaps", "tension with", "contrasts with", "leads to",
               "part of")
HINT = ("Drag nodes to arrange the map; Ctrl+wheel or Ctrl++ zooms; drag the background to "
        "pan. Click a node to see its extracts.")
READ_ONLY_HINT = ("Read-only: the map can be zoomed, panned and exported, not changed. Click "
                  "a node to see its extracts.")
READ_ONLY_TIP = "The project is open read-only"
MAX_FIT = 1.2  # Fit does not blow a small map up past this
FIGURE_FILTERS = "PNG image, 300 dpi (*.png);;SVG drawing (*.svg);;PDF (*.pdf)"


class ZoomingView(QGraphicsView):
    """Ctrl+wheel (or pinch) zooms about the pointer; dragging empty space pans."""

    scale_changed = Signal()

    def __init__(self, scene: MapScene) -> None:
        super().__init__(scene)
        self.cut = False  # Fit kept the names readable and so shows only part of the map
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(Qt.GlobalColor.white)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            return
        super().wheelEvent(event)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.1 <= scale <= 4:
            self.scale(factor, factor)
            self.cut = False
            self.scale_changed.emit()

    def zoom_keys(self, factor: float) -> None:
        """Zoom about the middle of the view (from the keyboard or a menu)."""
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.zoom(factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)

    def fit(self) -> None:
        """The whole map, unless that makes the themes' names too small to read: then the
        top of the map at the smallest scale where they can be read."""
        scene = self.scene()
        assert isinstance(scene, MapScene)
        rect = scene.itemsBoundingRect().adjusted(-30, -30, 30, 30)
        room = self.viewport().size()
        whole = min(room.width() / max(rect.width(), 1.0),
                    room.height() / max(rect.height(), 1.0), MAX_FIT)
        readable = min(scene.readable_scale(self.logicalDpiY()), 4.0)
        scale = max(whole, readable)
        self.cut = scale > whole * 1.001
        self.resetTransform()
        self.scale(scale, scale)
        if self.cut:  # the top of the map (final themes first), from the left if too wide
            half_w, half_h = room.width() / scale / 2, room.height() / scale / 2
            x = rect.center().x() if rect.width() <= 2 * half_w else rect.left() + half_w
            self.centerOn(QPointF(x, rect.top() + half_h))
        else:
            self.centerOn(rect.center())
        self.scale_changed.emit()


class _FlatLayout(QVBoxLayout):
    """Without height-for-width: a scroll area around the tab would otherwise size it to the
    wrapped hint's preferred height (the whole scene's) rather than to the room there is."""

    def hasHeightForWidth(self) -> bool:
        return False


class MapView(QWidget):
    theme_selected = Signal(int)
    code_selected = Signal(int)
    notice = Signal(str)  # for the window's notice strip

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("theme_map")
        self.session = session
        self.content: MapContent | None = None
        self.scene = MapScene(self)  # owned by the view: never freed later by the collector
        self.view = ZoomingView(self.scene)
        self.codes_box = QComboBox()
        self.codes_box.addItems(["Themes only", "Themes and codes"])
        self.codes_box.setToolTip("Show the codes under their themes, or the themes alone")
        self.codes_box.setCurrentIndex(1)
        self.cooccurrence_box = QComboBox()
        self.cooccurrence_box.addItems(["No co-occurrence", "Overlapping codings",
                                        "Same speaker turn"])
        self.cooccurrence_box.setToolTip("Dashed lines between codes applied together: to "
                                         "overlapping text, or in the same speaker turn")
        self.layout_button = QToolButton()
        self.layout_button.setText("Arrange")
        self.layout_button.setToolTip("Lay the map out anew in the chosen arrangement "
                                      "(one undo step)")
        self.layout_box = QComboBox()
        self.layout_box.addItems(["Hierarchy", "Spring"])
        self.layout_box.setToolTip("Hierarchy: final themes on top, their emerging themes "
                                   "and codes below. Spring: related nodes pulled together "
                                   "(seeded, so the same every time).")
        self.link_button = QToolButton()
        self.link_button.setText("Draw link")
        self.link_button.setCheckable(True)
        self.link_button.setToolTip("Then drag from one theme to another theme or a code")
        self.fit_button = QToolButton()
        self.fit_button.setText("Fit")
        self.fit_button.setToolTip("Show the whole map, as large as its theme names can "
                                   "still be read (Ctrl+0)")
        self.export_button = QToolButton()
        self.export_button.setText("Export figure…")
        self.hint = QLabel(HINT)
        self.hint.setStyleSheet("color:#6B7280;")
        self.hint.setWordWrap(True)
        for box in (self.codes_box, self.cooccurrence_box, self.layout_box):
            # Whole choices: the tool bar below puts what does not fit behind its » button.
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # A tool bar, not a row of widgets: in a narrow tab what does not fit goes behind
        # its » button instead of widening the window or being cut off.
        bar = QToolBar("Map")
        bar.setObjectName("map_tools")
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        for widget in (self.codes_box, self.cooccurrence_box, self.fit_button,
                       self.layout_box, self.layout_button, self.link_button, spacer,
                       self.export_button):
            bar.addWidget(widget)
            if isinstance(widget, QToolButton):
                widget.setAutoRaise(False)  # they look like buttons, as on the other tabs
        layout = _FlatLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)

        self.codes_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.cooccurrence_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.layout_button.clicked.connect(self.arrange)
        self.link_button.toggled.connect(self.scene.set_link_mode)
        self.fit_button.clicked.connect(self.view.fit)
        self.export_button.clicked.connect(self.export_figure)
        self.scene.nodes_moved.connect(self._moved)
        self.scene.link_requested.connect(self._link)
        self.scene.link_activated.connect(self.relabel)
        self.scene.node_activated.connect(self._activated)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view)
        delete.activated.connect(self.delete_selected_links)
        standard = QKeySequence.keyBindings
        keys = (([*standard(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")],
                 lambda: self.view.zoom_keys(1.25)),
                (standard(QKeySequence.StandardKey.ZoomOut), lambda: self.view.zoom_keys(0.8)),
                ([QKeySequence("Ctrl+0")], self.view.fit))
        for sequences, slot in keys:  # one shortcut per action: two on one key would cancel
            shortcut = QShortcut(self)
            shortcut.setKeys(list({seq.toString(): seq for seq in sequences}.values()))
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.scale_changed.connect(self._update_hint)
        self.preview: MapExportPreview | None = None
        self.scene.editable = not session.readonly
        if session.readonly:
            for button in (self.layout_button, self.link_button):
                button.setEnabled(False)
                button.setToolTip(READ_ONLY_TIP)
        self.follower = ChangeFollower(self, session, self.reload, WATCHED)
        self.jobs: list[Job] = []
        self._fitted = False
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # the first time it has a size: show the whole map
            self._fitted = True
            QTimer.singleShot(0, self.view, self.view.fit)  # cancelled if the view goes

    @property
    def include_codes(self) -> bool:
        return self.codes_box.currentIndex() == 1

    @property
    def cooccurrence(self) -> str | None:
        return (None, "overlap", "turn")[self.cooccurrence_box.currentIndex()]

    def reload(self) -> None:
        self.follower.stale = False
        with self.session.read() as read:
            self.content = load_map(read, self.include_codes, self.cooccurrence)
        self.scene.build(self.content.nodes, self.content.edges, self.content.positions)
        words = self.content.words
        self.layout_box.setToolTip(f"Hierarchy: {words.themes('final')} on top, their "
                                   f"{words.themes('emerging')} and codes below. Spring: "
                                   "related nodes pulled together (seeded, so the same every "
                                   "time).")
        self.scene.set_link_mode(self.link_button.isChecked())
        self._update_hint()

    def readability_note(self) -> str:
        """What zooming in would show, when some words are too small to read."""
        hidden = self.scene.hidden_label_levels(self.view.transform().m11(),
                                                self.view.logicalDpiY())
        if hidden & {"final", "emerging"}:
            note = "Zoom in to read theme names."
        elif "code" in hidden:
            note = "Zoom in to read code names."
        elif "link" in hidden:
            note = "Zoom in to read the links' labels."
        else:
            note = ""
        if self.view.cut:
            note += (" Scroll to see the rest of the map, or choose Themes only for an "
                     "overview." if self.include_codes else " Scroll to see the rest of the map.")
        return note.strip()

    def _update_hint(self) -> None:
        if self.content is None:
            return
        drawn, pairs = self.content.pairs
        parts = [self.readability_note()]
        if self.cooccurrence is not None:
            parts.append(f"Dashed lines: the {drawn:,} most frequent of {plural(pairs, 'pair')}"
                         " of codes applied together." if drawn < pairs else
                         f"Dashed lines: {plural(pairs, 'pair')} of codes applied together.")
        parts.append(READ_ONLY_HINT if self.session.readonly else HINT)
        self.hint.setText(" ".join(part for part in parts if part))
        self._fit_hint()

    def _fit_hint(self) -> None:
        """Room for every line of the hint at the tab's width (the layout does not ask)."""
        self.hint.setMinimumHeight(self.hint.heightForWidth(max(self.width(), 200)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_hint()

    # -- changes ---------------------------------------------------------------------------
    def _saved(self) -> dict[NodeKey, tuple[float, float]]:
        with self.session.read() as read:
            return node_positions(read)

    def _moved(self, before: Positions, after: Positions) -> None:
        saved = self._saved()
        before = {key: saved.get(key) for key in after}  # unsaved nodes had no position
        self.session.push(PlaceNodesCommand(self.session, before, after))

    def ask_replace(self, count: int) -> bool:
        """Whether to replace the researcher's own arrangement of ``count`` nodes."""
        box = QMessageBox(QMessageBox.Icon.Question, "Arrange the map",
                          f"Replace your arrangement of {plural(count, 'node')} with the "
                          "automatic layout? You can undo this.", parent=self)
        go = box.addButton("Arrange", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(go)
        box.exec()
        return box.clickedButton() is go

    def arrange(self) -> None:
        """Lay the map out anew (one undo step) and keep the result; ask first when that
        moves nodes whose places were saved."""
        if self.content is None:
            return
        spring = self.layout_box.currentIndex() == 1
        after = layout_positions(self.content, spring)
        saved = self._saved()
        before = {key: saved.get(key) for key in after}
        replaced = sum(1 for key, where in before.items()
                       if where is not None and far_apart(where, after[key]))
        if replaced and not self.ask_replace(replaced):
            return
        self.session.push(PlaceNodesCommand(self.session, before, after, reason="layout"))
        self.follower.flush()  # the new places, before fitting the view to them
        self.view.fit()

    def _link(self, source: tuple[str, int], target: tuple[str, int]) -> None:
        label, ok = QInputDialog.getItem(self, "Link themes", "Label of the link:",
                                         list(LINK_LABELS), 0, True)
        if not ok:
            return
        target_theme = target[1] if target[0] == "theme" else None
        target_code = target[1] if target[0] == "code" else None
        self.session.push(LinkThemesCommand(self.session, source[1], target_theme,
                                            target_code, label.strip()))

    def ask_label(self, current: str) -> tuple[str, bool]:
        labels = list(dict.fromkeys([current, *LINK_LABELS]))
        return QInputDialog.getItem(self, "Relabel link", "Label of the link:", labels, 0,
                                    True)

    def relabel(self, link_id: int) -> None:
        edge = next((e for e in self.scene.edges if e.link_id == link_id), None)
        if edge is None:
            return
        label, ok = self.ask_label(edge.label)
        if ok and label.strip() != edge.label:
            self.session.push(RelabelLinkCommand(self.session, link_id, edge.label,
                                                 label.strip()))

    def delete_selected_links(self) -> None:
        for link_id in self.scene.selected_link_ids():
            self.session.push(DeleteLinkCommand(self.session, link_id))

    def _activated(self, key: tuple[str, int]) -> None:
        (self.theme_selected if key[0] == "theme" else self.code_selected).emit(key[1])

    # -- figure ------------------------------------------------------------------------------
    def ask_figure_path(self) -> Path | None:
        name, chosen = QFileDialog.getSaveFileName(self, "Export the map of themes",
                                                   str(Path.home() / "Figure 1.png"),
                                                   FIGURE_FILTERS)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in (".png", ".svg", ".pdf"):
            path = path.with_name(path.name + "." + chosen.split("(*.")[1][:3])
        return path

    def export_figure(self) -> MapExportPreview | None:
        """Ask where, show the figure as it will be written, write it on Save."""
        path = self.ask_figure_path()
        if path is None:
            return None
        if self.preview is not None and not self.preview.busy:
            self.preview.deleteLater()
        preview = MapExportPreview(self.session.store, path,
                                   FigureChoice(self.include_codes, self.cooccurrence), self)
        preview.accepted.connect(lambda: self._write_figure(preview))
        self.preview = preview
        preview.open()
        return preview

    def _write_figure(self, preview: MapExportPreview) -> Job:
        write = preview.write_work()
        job = Job(lambda _control: write(), self)
        self.jobs.append(job)

        def written(target: object) -> None:
            self.jobs.remove(job)
            self.notice.emit(f"Wrote the map of themes to {target}.")

        def failed(message: str) -> None:
            self.jobs.remove(job)
            self.notice.emit(message)

        job.finished.connect(written)
        job.failed.connect(failed)
        job.start()
        return job

    # -- right-click -------------------------------------------------------------------------
    def _context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu(pos)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def context_menu(self, pos: QPoint) -> QMenu:
        """A link's own actions when over one; the map's zoom, Arrange and Export always."""
        menu = QMenu(self)
        writable = not self.session.readonly
        item = self.view.itemAt(pos)
        edge = item.parentItem() if isinstance(item, LinkLabel) else item
        if isinstance(edge, EdgeItem) and edge.link_id is not None:
            link_id = edge.link_id
            menu.addAction("Relabel link…", lambda: self.relabel(link_id)).setEnabled(writable)
            menu.addAction("Delete link", lambda: self.session.push(
                DeleteLinkCommand(self.session, link_id))).setEnabled(writable)
            menu.addSeparator()
        menu.addAction("Zoom in", QKeySequence.StandardKey.ZoomIn,
                       lambda: self.view.zoom_keys(1.25))
        menu.addAction("Zoom out", QKeySequence.StandardKey.ZoomOut,
                       lambda: self.view.zoom_keys(0.8))
        menu.addAction("Fit", QKeySequence("Ctrl+0"), self.view.fit)
        menu.addSeparator()
        menu.addAction("Arrange anew", self.arrange).setEnabled(writable)
        menu.addAction("Export figure…", self.export_figure)
        return menu
