"""The fixed parts of the agreement view: the note on method, the legend, the tables' look."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from thematic_workbench.gui.agreement.models import BANDS, tint
from thematic_workbench.gui.common.columns import row_table

GRID = "QTableView { gridline-color: #E3E7ED; }"
NOTE = ("<b>Reflexive thematic analysis does not require agreement measures.</b> Braun and "
        "Clarke treat coding as the researcher's interpretation, a resource rather than a "
        "bias to be measured away; kappa and alpha serve coding-reliability designs, where a "
        "fixed codebook is applied by several coders. Here, the passages where two coders "
        "differ are best used to talk the coding through.")
LEGEND = ("Units are characters, as in NVivo's coding comparison: agreement is the share of "
          "a document both coders coded, or both left uncoded, with the code. Kappa bands "
          "after Fleiss (1981), the reading NVivo's help gives.")


def note(parent: QWidget) -> QLabel:
    """The reminder on method, shown above everything else."""
    label = QLabel(NOTE, parent)
    label.setObjectName("agreementNote")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setStyleSheet("QLabel#agreementNote { background: #EEF3F8; color: #1F2937; "
                        "border-left: 4px solid #2F5D8A; padding: 8px 10px; }")
    return label


def legend(parent: QWidget) -> QLabel:
    """Colour chips for the kappa bands, then what the figures count."""
    chips = "&nbsp;&nbsp;&nbsp;".join(
        f"<span style='background:{tint(band).name()}; color:{tint(band).name()};'>"
        f"&nbsp;■■&nbsp;</span>&nbsp;{band.label}" for band in BANDS)
    label = QLabel(f"Kappa: {chips}<br><span style='color:#6B7280;'>{LEGEND}</span>", parent)
    label.setObjectName("agreementLegend")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setContentsMargins(2, 0, 2, 0)
    return label


def caption(parent: QWidget, text: str) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet("font-weight: 600; padding-top: 4px;")
    return label


def table(parent: QWidget, model: QAbstractItemModel, name: str, widths: dict[int, int],
          stretch: int) -> QTableView:
    """A read-only table of records, one row selected at a time, ``stretch`` filling."""
    view = row_table(parent, model, name)
    view.setStyleSheet(GRID)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    for column, width in widths.items():
        header.resizeSection(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def section(parent: QWidget, title: QLabel, view: QTableView) -> QWidget:
    """A caption over a table, as one pane of the splitter."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(title)
    layout.addWidget(view, 1)
    return box
