"""A matplotlib chart inside Qt: a ``Figure`` in a ``FigureCanvasQTAgg`` (DESIGN.md section 7)
that exports what it shows as PNG or SVG.

PySide6 is imported before matplotlib's Qt backend, so the backend binds to it rather than
looking for another Qt binding. The file name is asked through :meth:`ChartCanvas.ask_path`
so tests can answer without a native dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QFileDialog, QSizePolicy, QWidget

from thematic_workbench.io.atomic import atomic_path

# isort: off
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg  # after PySide6, see above
from matplotlib.figure import Figure
# isort: on

CHART_FILTERS = "PNG image (*.png);;SVG drawing (*.svg)"
CHART_FORMATS = (".png", ".svg")
EXPORT_DPI = 200
RESIZE_DELAY_MS = 120


class ChartCanvas(FigureCanvasQTAgg):
    """One figure, redrawn whole by a drawing function whenever its data changes."""

    def __init__(self, parent: QWidget | None = None, name: str = "chart") -> None:
        figure = Figure(figsize=(6.4, 4.8), facecolor="white", layout="constrained")
        super().__init__(figure)  # type: ignore[no-untyped-call]  # matplotlib: unannotated
        self.setParent(parent)
        self.setObjectName(f"{name}Chart")
        self.file_stem = name  # the suggested file name
        self.folder = str(Path.home())
        self.setMinimumSize(360, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._draw: Callable[[Figure], None] | None = None
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(RESIZE_DELAY_MS)
        self._resized.timeout.connect(self._redraw)

    def sizeHint(self) -> QSize:
        """Modest: the canvas grows into the room there is. Matplotlib's own hint is the
        figure's 640x480, which made the analysis view scroll on a laptop screen."""
        return QSize(480, 300)

    def show_chart(self, draw: Callable[[Figure], None]) -> None:
        """Clear the figure and let ``draw`` fill it; kept to redraw at a new size."""
        self._draw = draw
        self._redraw()

    def _redraw(self) -> None:
        self.figure.clear()
        if self._draw is not None:
            self._draw(self.figure)
        self.draw_idle()  # type: ignore[no-untyped-call]  # matplotlib: unannotated

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[no-untyped-call]  # matplotlib: unannotated
        # Labels wrap to one or two lines by the rows' height: draw again at the new size,
        # once the user has stopped dragging.
        self._resized.start()

    def ask_path(self) -> Path | None:
        """Where to export the chart; the format follows the extension (PNG unless .svg)."""
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export chart", str(Path(self.folder) / f"{self.file_stem}.png"),
            CHART_FILTERS)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in CHART_FORMATS:
            path = path.with_name(path.name + (".svg" if "svg" in chosen else ".png"))
        return path

    def export_chart(self) -> Path | None:
        """Ask for a file and write the chart there, as it looks now at print resolution;
        None if the user cancelled. Raises WorkbenchError if the file cannot be written."""
        path = self.ask_path()
        if path is None:
            return None
        kind = "svg" if path.suffix.lower() == ".svg" else "png"
        with atomic_path(path, "the chart") as partial:
            self.figure.savefig(partial, format=kind, dpi=EXPORT_DPI, facecolor="white")
        self.folder = str(path.parent)
        return path
