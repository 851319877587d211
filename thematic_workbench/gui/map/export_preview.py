"""Export the map of themes as a figure, seeing first exactly what will be written.

The dialog reads the map once (on the database worker), draws the figure with
``io.map_figure`` and shows it scaled, with its format, size and resolution and what it
includes. Save writes that same figure (the map as read for the preview, not read again),
so the file is the picture the researcher approved. Both the Map tab and File → Export →
Map of themes use it; each runs the write on its own worker and reports the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.analysis.map_layouts import read_map
from thematic_workbench.core.reports.map_boxes import Point
from thematic_workbench.core.reports.theme_map import MapData, NodeKey
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.workers import Job
from thematic_workbench.io.map_figure import DPI, preview_map, render_map

PREVIEW_DPI = 110.0  # enough to judge the figure on screen, quick even for 500 codes
COOCCURRENCE = (None, "overlap", "turn")
COOCCURRENCE_NAMES = ("No co-occurrence", "Overlapping codings", "Same speaker turn")
FORMAT_NAMES = {".png": "PNG image", ".svg": "SVG drawing", ".pdf": "PDF"}


@dataclass(frozen=True)
class FigureChoice:
    """What the figure includes besides the themes."""

    include_codes: bool = False
    cooccurrence: str | None = None  # "overlap" or "turn"; needs the codes


@dataclass(frozen=True)
class RenderedFigure:
    """The figure as previewed: what Save writes, and the picture of it."""

    choice: FigureChoice
    data: MapData
    positions: dict[NodeKey, Point]
    png: bytes
    size_cm: tuple[float, float]
    pixels: tuple[int, int]  # as a PNG at 300 dpi


def render_figure(store: ProjectStore, choice: FigureChoice) -> RenderedFigure:
    """Read the map and draw its figure (on a worker thread: no widgets here)."""
    cooccurrence = choice.cooccurrence if choice.include_codes else None
    with store.read() as read:
        data, positions = read_map(read, choice.include_codes, cooccurrence)
    png, size, pixels = preview_map(data, positions, PREVIEW_DPI)
    return RenderedFigure(choice, data, dict(positions), png, size, pixels)


def describe_format(target: Path, figure: RenderedFigure) -> str:
    """Format, size and resolution of the file, in the words the dialog shows."""
    width, height = figure.size_cm
    size = f"{width:.1f} × {height:.1f} cm"
    suffix = target.suffix.lower()
    if suffix == ".png":
        pixels = f"{figure.pixels[0]:,} × {figure.pixels[1]:,} pixels"
        return f"PNG image at {DPI} dpi: {pixels}, {size} (a journal's full text width)"
    kind = FORMAT_NAMES.get(suffix, suffix)
    return f"{kind}, {size} (a journal's full text width); scales without losing detail"


def describe_contents(figure: RenderedFigure, words: ThemeWords = EMERGING_FINAL) -> str:
    """What the figure includes and leaves out."""
    levels = [node.level for node in figure.data.nodes]
    finals, emerging = levels.count("final"), levels.count("emerging")
    parts = [plural(finals, words.theme("final")), plural(emerging, words.theme("emerging"))]
    choice = figure.choice
    parts.append(plural(levels.count("code"), "code") + " shown" if choice.include_codes
                 else "codes hidden")
    links = len(figure.data.edges_of_kind("link"))
    if links:
        parts.append(plural(links, "link"))
    if not choice.include_codes or choice.cooccurrence is None:
        parts.append("co-occurrence hidden")
    else:
        pairs = len(figure.data.edges_of_kind("cooccurrence"))
        way = "overlapping codings" if choice.cooccurrence == "overlap" else "same speaker turn"
        parts.append(f"co-occurrence shown ({plural(pairs, 'pair')}, {way})")
    return "Includes " + ", ".join(parts) + "."


class MapExportPreview(QDialog):
    """Shows the figure that will be written to ``target``; Save accepts the dialog and the
    caller runs :meth:`write_work` on its worker."""

    rendered_changed = Signal()

    def __init__(self, store: ProjectStore, target: Path, choice: FigureChoice,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map_export_preview")
        self.setWindowTitle("Export the map of themes")
        self.store, self.target = store, target
        with store.read() as session:
            self.words = project_theme_words(session)
        self.rendered: RenderedFigure | None = None
        self._picture: QPixmap | None = None  # the rendered PNG, decoded once
        self.job: Job | None = None
        self._stale = False  # the options changed while a figure was being drawn

        where = QLabel(f"<b>{escape(target.name)}</b> in {escape(str(target.parent))}")
        where.setTextFormat(Qt.TextFormat.RichText)
        where.setWordWrap(True)
        self.codes_box = QCheckBox("Show codes")
        self.codes_box.setChecked(choice.include_codes)
        self.codes_box.setToolTip("Each theme's codes under it, as on the map")
        self.cooccurrence_box = QComboBox()
        self.cooccurrence_box.addItems(COOCCURRENCE_NAMES)
        self.cooccurrence_box.setCurrentIndex(COOCCURRENCE.index(choice.cooccurrence))
        self.cooccurrence_box.setToolTip("Dashed lines between codes applied together "
                                         "(needs the codes)")
        self.picture = QLabel("Drawing the figure…")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background:white; color:#6B7280;")
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.picture)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setMinimumSize(360, 220)
        self.format_label = QLabel()
        self.format_label.setWordWrap(True)
        self.contents_label = QLabel()
        self.contents_label.setWordWrap(True)
        self.contents_label.setStyleSheet("color:#374151;")
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        options = QHBoxLayout()
        options.addWidget(self.codes_box)
        options.addWidget(self.cooccurrence_box)
        options.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addLayout(options)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.format_label)
        layout.addWidget(self.contents_label)
        layout.addWidget(buttons)
        self.resize(760, 600)

        self.codes_box.toggled.connect(lambda _on: self.draw_figure())
        self.cooccurrence_box.currentIndexChanged.connect(lambda _i: self.draw_figure())
        self.draw_figure()

    @property
    def choice(self) -> FigureChoice:
        codes = self.codes_box.isChecked()
        cooccurrence = COOCCURRENCE[self.cooccurrence_box.currentIndex()] if codes else None
        return FigureChoice(codes, cooccurrence)

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.running

    def draw_figure(self) -> None:
        """Draw the figure for the current options on the worker; Save waits for it."""
        self.cooccurrence_box.setEnabled(self.codes_box.isChecked())
        self.save_button.setEnabled(False)
        if self.busy:
            self._stale = True
            return
        self._stale = False
        self.picture.setPixmap(QPixmap())
        self.picture.setText("Drawing the figure…")
        store, choice = self.store, self.choice
        job = Job(lambda _control: render_figure(store, choice), self)
        job.finished.connect(self._rendered)
        job.failed.connect(self._failed)
        self.job = job
        job.start()

    def _rendered(self, figure: RenderedFigure) -> None:
        if self._stale:
            self.draw_figure()
            return
        self.rendered = figure
        self._picture = QPixmap()
        self._picture.loadFromData(figure.png, "PNG")
        self.format_label.setText(describe_format(self.target, figure))
        self.contents_label.setText(describe_contents(figure, self.words))
        self._show_picture()
        self.save_button.setEnabled(True)
        self.rendered_changed.emit()

    def _failed(self, message: str) -> None:
        self.picture.setText(f"The figure could not be drawn: {message}")
        self._stale = False

    def _show_picture(self) -> None:
        """The figure scaled to the room there is (never blown up past its own size)."""
        if self._picture is None:
            return
        pixmap = self._picture
        room = self.scroll_area.viewport().size()
        if pixmap.width() > room.width() - 8 or pixmap.height() > room.height() - 8:
            pixmap = pixmap.scaled(room.width() - 8, room.height() - 8,
                                   Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.picture.setText("")
        self.picture.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_picture()

    def write_work(self) -> Callable[[], Path]:
        """The write of the previewed figure, as a plain function for a worker thread."""
        if self.rendered is None:
            raise RuntimeError("nothing to write before the figure is drawn")
        figure, target = self.rendered, self.target

        def write() -> Path:
            render_map(figure.data, figure.positions, target)
            return target

        return write
