"""The map of themes as a tab: drag nodes, draw labelled links, zoom and pan, re-run the
layout, show or hide codes and co-occurrence, click a node to see its extracts, export the
figure. Every change to the project is an undo command; view choices are not.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGraphicsView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.services.map_layout import node_positions
from thematic_workbench.gui.change_follower import ChangeFollower
from thematic_workbench.gui.map.commands import (
    DeleteLinkCommand,
    LinkThemesCommand,
    PlaceNodesCommand,
    RelabelLinkCommand,
)
from thematic_workbench.gui.map.data import MapContent, layout_positions, load_map
from thematic_workbench.gui.map.scene import MapScene
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.workers import Job

WATCHED = frozenset({"theme", "code", "theme_membership", "theme_link", "map_theme",
                     "map_code", "coding"})
LINK_LABELS = ("flows into", "overlaps", "tension with", "contrasts with", "leads to",
               "part of")
HINT = ("Drag nodes to arrange the map; Ctrl+wheel zooms; drag the background to pan. Click "
        "a node to see its extracts.")
FIGURE_FILTERS = "PNG image, 300 dpi (*.png);;SVG drawing (*.svg);;PDF (*.pdf)"


class ZoomingView(QGraphicsView):
    """Ctrl+wheel (or pinch) zooms about the pointer; dragging empty space pans."""

    def __init__(self, scene: MapScene) -> None:
        super().__init__(scene)
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

    def fit(self) -> None:
        self.fitInView(self.scene().itemsBoundingRect().adjusted(-30, -30, 30, 30),
                       Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.2:
            self.resetTransform()
            self.scale(1.2, 1.2)


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
        self.export_button = QToolButton()
        self.export_button.setText("Export figure…")
        self.hint = QLabel(HINT)
        self.hint.setStyleSheet("color:#6B7280;")
        self.hint.setWordWrap(True)
        for box in (self.codes_box, self.cooccurrence_box, self.layout_box):
            # Combos may shrink (their text elides) rather than widen the whole window.
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(9)
        bar = QHBoxLayout()
        for widget in (self.codes_box, self.cooccurrence_box, self.layout_box,
                       self.layout_button, self.link_button, self.fit_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
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
        self.scene.set_link_mode(self.link_button.isChecked())
        drawn, pairs = self.content.pairs
        hint = HINT
        if self.cooccurrence is not None:
            hint = (f"Dashed lines: the {drawn} most frequent of {pairs} pairs of codes "
                    "applied together. " if drawn < pairs else
                    f"Dashed lines: {pairs} pairs of codes applied together. ") + hint
        self.hint.setText(hint)

    # -- changes ---------------------------------------------------------------------------
    def _saved(self) -> dict:
        with self.session.read() as read:
            return node_positions(read)

    def _moved(self, before: dict, after: dict) -> None:
        saved = self._saved()
        before = {key: saved.get(key) for key in after}  # unsaved nodes had no position
        self.session.push(PlaceNodesCommand(self.session, before, after))

    def arrange(self) -> None:
        """Lay the map out anew (one undo step) and keep the result."""
        if self.content is None:
            return
        spring = self.layout_box.currentIndex() == 1
        after = layout_positions(self.content, spring)
        saved = self._saved()
        before = {key: saved.get(key) for key in after}
        self.session.push(PlaceNodesCommand(self.session, before, after, reason="layout"))
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

    def export_figure(self) -> Job | None:
        path = self.ask_figure_path()
        if path is None:
            return None
        from thematic_workbench.io.map_figure import write_map_figure

        store, codes, cooccurrence = self.session.store, self.include_codes, self.cooccurrence

        def work(_control: object) -> Path:
            with store.read() as read:
                write_map_figure(read, path, include_codes=codes,
                                 cooccurrence=cooccurrence or False)
            return path

        job = Job(work, self)
        self.jobs.append(job)
        job.finished.connect(lambda done: (self.jobs.remove(job), self.notice.emit(
            f"Wrote the map of themes to {done}.")))
        job.failed.connect(lambda message: (self.jobs.remove(job), self.notice.emit(message)))
        job.start()
        return job
