"""The theme × participant matrix and the code × theme table, for reviewing themes.

The matrix answers "is this theme carried by the data set, or by one or two voices?":
clicking a cell emits ``cell_activated(theme_id, participant_label)`` so the main window
can list the extracts behind it (``cell_extracts`` reads them). The table lists every code
with the themes it sits in, so codes left in no theme stand out.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.analysis.theme_matrix import (
    code_theme_table,
    extracts_for_cell,
    theme_participant_matrix,
)
from thematic_workbench.core.queries.theme_extracts import ExtractSet
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.gui.common.choices import QUIET, choices_row
from thematic_workbench.gui.common.columns import fix_widths, row_table
from thematic_workbench.gui.common.level_words import REVIEW_KINDS_AND_WORDS
from thematic_workbench.gui.review import ChangeFollower, ClickOrEnter
from thematic_workbench.gui.review.matrix_models import (
    CODE_ID_ROLE,
    GROUP_ROLE,
    PARTICIPANT_ROLE,
    SORT_ROLE,
    THEME_ID_ROLE,
    CodeThemeModel,
    ThemeMatrixModel,
    describe,
)
from thematic_workbench.gui.session import ProjectSession

LEVEL_CHOICES = (("emerging", "Emerging themes"), ("final", "Final themes"))
MEASURE_CHOICES = (("segments", "Segments"), ("characters", "Characters"),
                   ("both", "Both"))
SHADING = {"segments": "more coded segments", "characters": "more coded text",
           "both": "more coded text"}
GRID = "QTableView { gridline-color: #E3E7ED; }"




class ThemeHeader(QHeaderView):
    """Theme names down the side, an emerging theme's final theme muted beneath its name."""

    PAD = 8

    def __init__(self, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setHighlightSections(False)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def _texts(self, section: int) -> tuple[str, str]:
        model = self.model()
        name = model.headerData(section, Qt.Orientation.Vertical) if model else None
        group = model.headerData(section, Qt.Orientation.Vertical, GROUP_ROLE) if model else None
        return str(name or ""), str(group or "")

    def fit_rows(self, two_lines: bool) -> None:
        lines = 2 if two_lines else 1
        self.setDefaultSectionSize(self.fontMetrics().lineSpacing() * lines + 14)

    def sectionSizeFromContents(self, section: int) -> QSize:
        name, group = self._texts(section)
        bold = QFont(self.font())
        bold.setBold(True)
        width = max(QFontMetrics(bold).horizontalAdvance(name),
                    self.fontMetrics().horizontalAdvance(group))
        return QSize(min(340, width + 3 * self.PAD), self.defaultSectionSize())

    def paintSection(self, painter: QPainter, rect: QRect, section: int) -> None:
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = section
        self.style().drawControl(QStyle.ControlElement.CE_HeaderSection, option, painter, self)
        name, group = self._texts(section)
        area = rect.adjusted(self.PAD, 0, -self.PAD // 2, 0)
        font = self.model().headerData(section, Qt.Orientation.Vertical,
                                       Qt.ItemDataRole.FontRole) if self.model() else None
        painter.save()
        painter.setFont(font if isinstance(font, QFont) else self.font())
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        if not group:
            painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight,
                                                              area.width()))
        else:
            top, bottom = area.adjusted(0, 4, 0, -area.height() // 2), \
                area.adjusted(0, area.height() // 2, 0, -4)
            metrics = painter.fontMetrics()
            painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                             metrics.elidedText(name, Qt.TextElideMode.ElideRight, area.width()))
            painter.setPen(QColor("#6B7280"))
            painter.drawText(bottom, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                             metrics.elidedText(group, Qt.TextElideMode.ElideRight,
                                                area.width()))
        painter.restore()


class ThemeMatrixView(QWidget):
    """Themes down, participants across; cells shaded by how much data supports them."""

    cell_activated = Signal(int, str)
    theme_activated = Signal(int)
    MIN_COLUMN = 64
    COLUMN_PAD = 28

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ThemeMatrixModel(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 0)
        self.levels = choices_row(self, "Show", LEVEL_CHOICES, bar)
        self.measures = choices_row(self, "Count", MEASURE_CHOICES, bar)
        bar.addStretch(1)
        self.legend = QLabel(self)
        self.legend.setStyleSheet(QUIET)
        self.legend.setContentsMargins(6, 0, 6, 0)
        self.legend.setWordWrap(True)
        self.view = self._make_view()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.legend)
        layout.addWidget(self.view, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addStretch(1)
        self.levels.buttonClicked.connect(lambda _button: self.refresh())
        self.measures.buttonClicked.connect(self._measure_picked)
        self.clicks = ClickOrEnter(self.view, self._emit)
        self.view.verticalHeader().sectionClicked.connect(self._on_theme_header)
        self.follower = ChangeFollower(self, session, self.refresh, REVIEW_KINDS_AND_WORDS)
        self.refresh()

    def _make_view(self) -> QTableView:
        view = QTableView(self)
        view.setObjectName("themeMatrix")
        view.setModel(self.model)
        view.setStyleSheet(GRID)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setCornerButtonEnabled(False)
        view.setWordWrap(False)
        # As large as the matrix, and no larger: a heat map reads best compact.
        view.setSizeAdjustPolicy(QTableView.SizeAdjustPolicy.AdjustToContents)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        across = view.horizontalHeader()
        across.setHighlightSections(False)
        across.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.themes_header = ThemeHeader(view)
        view.setVerticalHeader(self.themes_header)
        return view

    # -- public API ------------------------------------------------------------------------
    def level(self) -> str:
        return LEVEL_CHOICES[max(0, self.levels.checkedId())][0]

    def measure(self) -> str:
        return MEASURE_CHOICES[max(0, self.measures.checkedId())][0]

    def set_level(self, level: str) -> None:
        self._check(self.levels, LEVEL_CHOICES, level)
        self.refresh()

    def set_measure(self, measure: str) -> None:
        self._check(self.measures, MEASURE_CHOICES, measure)
        self._measure_picked()

    def refresh(self) -> None:
        with self.session.read() as s:
            matrix = theme_participant_matrix(s, self.level())
            words = project_theme_words(s)
        for number, (level, _text) in enumerate(LEVEL_CHOICES):
            button = self.levels.button(number)
            if button is not None:
                button.setText(words.themes(level, True))
        self.model.set_matrix(matrix, words)
        self.themes_header.fit_rows(any(theme.group for theme in matrix.themes))
        self._measure_picked()

    def cell_extracts(self, theme_id: int, participant: str) -> ExtractSet | None:
        """The extracts behind a cell (as the extracts panel would list them)."""
        with self.session.read() as s:
            return extracts_for_cell(s, theme_id, participant)

    def cell_text(self, theme_id: int | None, participant: str | None) -> str:
        """What a cell shows; None as the theme or the participant picks the totals."""
        model = self.model
        rows = [r for r in range(model.rowCount()) if model.theme_at(r) == theme_id]
        columns = [c for c in range(model.columnCount()) if model.participant_at(c) == participant]
        if not rows or not columns:
            raise KeyError(f"no cell for theme {theme_id} and participant {participant!r}")
        return str(model.index(rows[0], columns[0]).data())

    # -- reacting --------------------------------------------------------------------------
    @staticmethod
    def _check(group: QButtonGroup, choices: tuple[tuple[str, str], ...], key: str) -> None:
        keys = [k for k, _text in choices]
        if key not in keys:
            raise ValueError(f"expected one of {', '.join(keys)}, not {key!r}")
        button: QAbstractButton | None = group.button(keys.index(key))
        assert button is not None
        button.setChecked(True)

    def _measure_picked(self, _button: object = None) -> None:
        self.model.set_measure(self.measure())
        self._describe()

    def _fit(self) -> None:
        """Size the columns to the text now shown (with room to breathe), and the view to
        the matrix."""
        bold = QFont(self.view.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        model, measure = self.model, self.measure()
        across = self.view.horizontalHeader()
        for column in range(model.columnCount()):
            texts = {str(model.headerData(column, Qt.Orientation.Horizontal) or "")}
            texts |= {describe(model.support_at(row, column), measure)
                      for row in range(model.rowCount())}
            widest = max(metrics.horizontalAdvance(text) for text in texts)
            across.resizeSection(column, max(self.MIN_COLUMN, widest + self.COLUMN_PAD))
        self.view.updateGeometry()
        layout = self.layout()
        if layout is not None:
            layout.activate()

    def _describe(self) -> None:
        self._fit()
        matrix = self.model.matrix
        if not matrix.themes:
            level = "final" if matrix.level == "final" else "emerging"
            self.legend.setText(f"No {level} themes yet: group codes into themes on the "
                                "board, then see here who supports each one.")
            return
        self.legend.setText(f"Darker cells: {SHADING[self.measure()]}. A segment is a "
                            "stretch of coded text: text coded twice (two codes on the same "
                            "words, or overlapping codings) counts once. Click a cell to see "
                            "its extracts.")

    def _emit(self, index: QModelIndex) -> None:
        theme_id, who = index.data(THEME_ID_ROLE), index.data(PARTICIPANT_ROLE)
        if theme_id is not None and who is not None:
            self.cell_activated.emit(theme_id, who)
        elif theme_id is not None:
            self.theme_activated.emit(theme_id)

    def _on_theme_header(self, row: int) -> None:
        theme_id = self.model.theme_at(row)
        if theme_id is not None:
            self.theme_activated.emit(theme_id)


class CodeThemeTableView(QWidget):
    """Every code with its codings, participants and themes; sortable by any column."""

    code_activated = Signal(int)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = CodeThemeModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.summary = QLabel(self)
        self.summary.setStyleSheet(QUIET)
        self.summary.setContentsMargins(6, 6, 6, 0)
        self.view = self._make_view()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.clicks = ClickOrEnter(self.view, self._on_clicked)
        self.follower = ChangeFollower(self, session, self.refresh, REVIEW_KINDS_AND_WORDS)
        self.refresh()

    def _make_view(self) -> QTableView:
        view = row_table(self, self.proxy, "codeThemeTable")
        view.setStyleSheet(GRID)
        view.setAlternatingRowColors(False)  # unthemed codes are tinted instead
        header = view.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # Table 1 order first
        view.setSortingEnabled(True)
        header.resizeSection(CodeThemeModel.CODE, 230)
        fix_widths(view, (CodeThemeModel.CODINGS, CodeThemeModel.PARTICIPANTS), "99,999")
        header.resizeSection(CodeThemeModel.EMERGING, 240)
        header.setSectionResizeMode(CodeThemeModel.FINAL, QHeaderView.ResizeMode.Stretch)
        return view

    def refresh(self) -> None:
        with self.session.read() as s:
            rows = code_theme_table(s)
            words = project_theme_words(s)
        self.model.set_rows(rows, words)
        loose = self.model.unthemed_count()
        codes = f"{len(rows):,} code{'' if len(rows) == 1 else 's'}"
        if not rows:
            self.summary.setText("No codes yet.")
        elif loose:
            self.summary.setText(f"{codes} · {loose:,} in no theme yet (tinted). "
                                 "Click a column's title to sort by it.")
        else:
            self.summary.setText(f"{codes}, each in at least one theme. "
                                 "Click a column's title to sort by it.")

    def row_texts(self) -> list[tuple[str, ...]]:
        """The rows as shown, in the order shown (sorting included)."""
        return [tuple(str(self.proxy.index(row, column).data() or "")
                      for column in range(self.proxy.columnCount()))
                for row in range(self.proxy.rowCount())]

    def _on_clicked(self, index: QModelIndex) -> None:
        code_id = index.data(CODE_ID_ROLE)
        if code_id is not None:
            self.code_activated.emit(code_id)
