"""The coding-stripe margin: a coloured bar per coding beside the lines it covers.

Each code present in the transcript has its own narrow column of bars, nearest the text.
To their right runs a lane of labels, one per bar on screen, written horizontally at the
first visible line of its passage (or just below it when that place is taken), so names
read without turning the head and never sit on a bar or on another name. When the margin
is too narrow for a column per code, codes whose passages never meet share a column (each
label still names its bar); when even then there is no room for the lane, the labels turn
to read downwards in a narrow lane, still one per bar and clear of each other, cut to the
height of their passage.

Which stripes show is a view setting (:class:`StripeFilter`): hide codes or coders from the
margin without touching the data.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPointF, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QStaticText,
)
from PySide6.QtWidgets import QMenu, QToolButton, QToolTip, QWidget

from thematic_workbench.core.queries.transcript_data import CodingSpan
from thematic_workbench.core.wording import plural, quoted
from thematic_workbench.gui.transcript.editor import ScreenLines, TranscriptEditor
from thematic_workbench.gui.transcript.spans import SpanIndex

COLUMN = 9  # pitch of a column of bars
BAR = 5
PADDING = 6
LABEL_GAP = 6  # between the last column and the label lane
LABEL_MAX = 160  # the lane never asks for more
LABEL_MIN = 48  # a narrower lane holds labels turned to read downwards
TURNED_MAX = 110  # a turned label is cut to this length, so that more of them fit
NARROW = 36  # the margin's least width without codings
CHIP = 7  # the colour square before a label's text
OWN_COLUMNS = 24  # up to this many codes, one column each
MEMO_CHARS = 240  # a longer memo is cut in the tooltip
BACKGROUND = QColor("#FAFAFB")
RULE = QColor("#E1E4E8")
SELECTED_LABEL = QColor("#E4EBF5")


def assign_columns(codings: Sequence[CodingSpan], line_starts: Sequence[int],
                   own_columns: int = OWN_COLUMNS,
                   previous: Mapping[int, int] | None = None) -> dict[int, int]:
    """Column of each code: by name when there is room, else packed by line overlap.

    When packing, a code keeps its ``previous`` column while its bars still fit there, so
    coding a passage does not shuffle the margin (and only new codes are searched for).
    """
    names: dict[int, str] = {}
    for coding in codings:
        names.setdefault(coding.code_id, coding.code_name)
    if len(names) <= own_columns:
        ordered = sorted(names, key=lambda code: (names[code].casefold(), code))
        return {code: column for column, code in enumerate(ordered)}
    height = len(line_starts) + 2
    spans: dict[int, list[tuple[int, int]]] = {}
    for coding in codings:  # in text order, so codes are placed by first appearance
        first = bisect_right(line_starts, coding.start)
        last = bisect_right(line_starts, max(coding.start, coding.end - 1))
        spans.setdefault(coding.code_id, []).append((first - 1, last + 1))  # a line of air
    # One byte per line and column marks it taken: checking and marking run in C.
    columns: list[bytearray] = []
    placed: dict[int, int] = {}

    def fits(number: int, wanted: list[tuple[int, int]]) -> bool:
        taken = columns[number]
        return all(taken.find(1, a, b) < 0 for a, b in wanted)

    def place(code: int, number: int) -> None:
        while len(columns) <= number:
            columns.append(bytearray(height))
        taken = columns[number]
        for a, b in spans[code]:
            taken[a:b] = b"\x01" * (b - a)
        placed[code] = number

    kept = previous or {}
    for code, number in sorted(kept.items(), key=lambda item: item[1]):
        if code in spans and (number >= len(columns) or fits(number, spans[code])):
            place(code, number)
    for code, wanted in spans.items():
        if code not in placed:
            place(code, next((i for i in range(len(columns)) if fits(i, wanted)),
                             len(columns)))
    used = sorted(set(placed.values()))  # a code gone from the text leaves no empty column
    return {code: used.index(number) for code, number in placed.items()} \
        if len(used) < len(columns) else placed


# -- where the labels go (no Qt, so a test can check the geometry) ----------------------------
class Box(NamedTuple):
    """An axis-aligned rectangle in margin pixels."""

    left: float
    top: float
    right: float
    bottom: float

    def intersects(self, other: Box) -> bool:
        """True when the two share some area (touching edges do not count)."""
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)


class LabelRequest(NamedTuple):
    """A bar that wants a label: the label's wanted top, and how far down it may go."""

    key: int  # the coding's id
    top: float  # where the label should start: the first visible line of the passage
    limit: float  # the label's top must stay above this (the passage's visible bottom)
    width: float  # the label's full width; a narrower lane elides it
    height: float = 0.0  # its height, when not the common ``label_height`` (a turned label)


def place_labels(requests: Iterable[LabelRequest], stripes: Sequence[Box], left: float,
                 right: float, height: float, label_height: float,
                 min_width: float = LABEL_MIN) -> dict[int, Box]:
    """A box for each label that fits: in the lane ``[left, right]``, beside its passage.

    Requests are served in order (the caller sorts them top to bottom, and on one line the
    shortest passage first); each label goes at
    its wanted top or, when a label or a stripe is there, at the first free place below,
    as long as it still starts beside its passage and ends inside the margin. A label with
    no such place is left out (its bar keeps its tooltip). No two boxes intersect and no
    box intersects a stripe.
    """
    lane = right - left
    if lane < min_width or label_height <= 0:
        return {}
    placed: dict[int, Box] = {}
    # What a label in the lane may meet: the labels placed so far and the stripes reaching
    # into the lane (usually none, as the columns end left of it).
    others = [box for box in stripes if box.left < right and left < box.right]
    for request in requests:
        y = max(request.top, 0.0)
        end = left + min(request.width, lane)
        tall = request.height or label_height
        while True:
            bottom = y + tall
            if bottom > height or y >= request.limit:
                break
            blocking = [other.bottom for other in others if other.top < bottom
                        and y < other.bottom and other.left < end and left < other.right]
            if not blocking:
                if request.key in placed:  # a key asked again: its newer box replaces it
                    others.remove(placed[request.key])
                placed[request.key] = Box(left, y, end, bottom)
                others.append(placed[request.key])
                break
            y = max(blocking)
    return placed


# -- what shows: a view setting --------------------------------------------------------------
@dataclass
class StripeFilter:
    """Codes and coders whose stripes are hidden from the margin (the codings stay)."""

    hidden_codes: set[int] = field(default_factory=set)
    hidden_coders: set[str] = field(default_factory=set)

    def shows(self, coding: CodingSpan) -> bool:
        return coding.code_id not in self.hidden_codes and coding.coder not in self.hidden_coders

    @property
    def active(self) -> bool:
        return bool(self.hidden_codes or self.hidden_coders)


def _elide(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


def coding_tooltip(codings: Sequence[CodingSpan]) -> str:
    """Rich text listing codings: colour, code name, coder and memo (a long memo cut)."""
    rows = []
    for coding in codings:
        memo = f"<br><i>{escape(_elide(coding.memo, MEMO_CHARS))}</i>" if coding.memo else ""
        rows.append(f"<span style='color:{coding.colour}'>&#9632;</span> "
                    f"<b>{escape(coding.code_name)}</b> "
                    f"<span style='color:#6B7480'>({escape(coding.coder)})</span>{memo}")
    return "<br>".join(rows)


STRIPE_HINT = ("<br><span style='color:#6B7480'>Click to select the passage; "
               "right-click for more.</span>")


class StripeLayout(NamedTuple):
    """The bars and labels of the codings on screen, in margin pixels."""

    bars: list[tuple[QRectF, CodingSpan]]
    labels: list[tuple[QRectF, CodingSpan]]
    turned: bool  # the labels read downwards


class StripeMargin(QWidget):
    """Paints the bars and labels of the visible codings; a click on either selects one."""

    coding_clicked = Signal(int)
    extracts_requested = Signal(int)  # a code id: show the extracts of this code
    filter_changed = Signal()

    def __init__(self, editor: TranscriptEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.all_codings: SpanIndex[CodingSpan] = SpanIndex()
        self.index: SpanIndex[CodingSpan] = SpanIndex()  # the codings the filter shows
        self.line_starts: Sequence[int] = ()
        self.columns: dict[int, int] = {}  # a column per code while there is room
        self._packed: dict[int, int] | None = {}  # see ``packed``
        self._pack_from: dict[int, int] | None = None  # the packing a change starts from
        self.selected: int | None = None
        self.filter = StripeFilter()
        self.settings: QSettings | None = None
        self.settings_key = ""
        self._painted: list[tuple[QRectF, CodingSpan]] = []
        self._labels: list[tuple[QRectF, CodingSpan]] = []
        self._colours: dict[tuple[str, bool], QColor] = {}
        self._widths: dict[str, int] = {}
        self._statics: dict[tuple[str, int], QStaticText] = {}
        self._lane_wanted = 0
        self._names: tuple[SpanIndex[CodingSpan] | None, dict[int, str]] = (None, {})
        self._drawn: tuple[tuple[object, ...], QPixmap] | None = None
        self._laid_out: tuple[tuple[object, ...], ScreenLines, StripeLayout] | None = None
        self._own: tuple[SpanIndex[CodingSpan], Sequence[int], dict[int, int]] | None = None
        font = QFont()
        font.setPointSize(8)
        self.setFont(font)
        # the font stays (its family from the editor's, set once): a label's height too
        self.label_height = QFontMetrics(self.font()).height() + 2
        self.setMouseTracking(True)
        # The paint covers every pixel: Qt need not paint the window beneath first.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_codings(self, index: SpanIndex[CodingSpan], line_starts: Sequence[int],
                    keep_columns: bool = False) -> None:
        """Show these codings; ``keep_columns`` when they are the same text's, changed."""
        kept = self.packed if keep_columns else None  # the packing the change starts from
        self.all_codings = index
        self.line_starts = line_starts
        self._apply_filter(kept)

    def _apply_filter(self, kept: dict[int, int] | None = None) -> None:
        self.index = self.all_codings if not self.filter.active else SpanIndex(
            [c for c in self.all_codings.items if self.filter.shows(c)])
        codings = self.index.items
        # Packing is only needed when the margin is too narrow for a column per code (or
        # there are more codes than own columns): it is worked out on first use.
        self._packed, self._pack_from = None, kept
        names = self._code_names()
        # With more codes than own columns, a column per code packs the same way: once will do.
        self.columns = self.packed if len(names) > OWN_COLUMNS else self._own_columns()
        self._lane_wanted = min(LABEL_MAX, max(
            (self._text_width(n) for n in set(names.values())), default=0) + CHIP + 8)
        if self.selected is not None and all(c.id != self.selected for c in codings):
            self.selected = None
        self.update()

    def _code_names(self) -> dict[int, str]:
        """The name of each code among the codings shown; the same codings shown again keep
        the names found before."""
        if self._names[0] is not self.index:
            self._names = (self.index, {c.code_id: c.code_name for c in self.index.items})
        return self._names[1]

    def _own_columns(self) -> dict[int, int]:
        """A column per code; the same codings shown again (a transcript opened again) keep
        the columns worked out before."""
        kept = self._own
        if kept is not None and kept[0] is self.index and kept[1] is self.line_starts:
            return kept[2]
        columns = assign_columns(self.index.items, self.line_starts)
        if self.index.items:
            self._own = (self.index, self.line_starts, columns)
        return columns

    @property
    def packed(self) -> dict[int, int]:
        """Column of each code when codes whose passages never meet share a column."""
        if self._packed is None:
            self._packed = assign_columns(self.index.items, self.line_starts, own_columns=0,
                                          previous=self._pack_from)
            self._pack_from = None
        return self._packed

    def least_width(self) -> int:
        """However narrow the text leaves the margin, the packed columns and a lane of
        turned labels keep their room."""
        packed = max(self.packed.values(), default=-1) + 1
        return int(PADDING + COLUMN * (packed - 1) + BAR + 3 + self.label_height
                   + PADDING / 2 + 1) if packed else NARROW

    def column_count(self) -> int:
        return max(self.columns.values(), default=-1) + 1

    def preferred_width(self) -> int:
        count = self.column_count()
        if not count:
            return PADDING
        return PADDING * 2 + COLUMN * count + LABEL_GAP + self._lane_wanted

    def select(self, coding_id: int | None) -> None:
        self.selected = coding_id
        self.update()

    # -- the filter ------------------------------------------------------------------------
    def use_settings(self, settings: QSettings, project: str) -> None:
        """Remember the filter per project in ``settings``; restore the one saved."""
        self.settings = settings
        self.settings_key = "stripes/" + hashlib.sha1(project.encode()).hexdigest()[:16]
        codes = settings.value(f"{self.settings_key}/hidden_codes", [])
        coders = settings.value(f"{self.settings_key}/hidden_coders", [])
        self.filter.hidden_codes = {int(str(c)) for c in _as_list(codes) if str(c).isdigit()}
        self.filter.hidden_coders = {str(c) for c in _as_list(coders)}
        self._filter_moved()

    def set_filter(self, hidden_codes: Iterable[int] = (),
                   hidden_coders: Iterable[str] = ()) -> None:
        """Hide these codes' and coders' stripes (empty: show every stripe)."""
        self.filter.hidden_codes = set(hidden_codes)
        self.filter.hidden_coders = set(hidden_coders)
        self._filter_moved()

    def _filter_moved(self) -> None:
        if self.settings is not None:
            self.settings.setValue(f"{self.settings_key}/hidden_codes",
                                   sorted(str(c) for c in self.filter.hidden_codes))
            self.settings.setValue(f"{self.settings_key}/hidden_coders",
                                   sorted(self.filter.hidden_coders))
        self._apply_filter()
        self.editor.update_margins()
        self.filter_changed.emit()

    def codes_present(self) -> list[tuple[int, str, str]]:
        """(id, name, colour) of every code coded in this transcript, by name."""
        found: dict[int, tuple[int, str, str]] = {}
        for c in self.all_codings.items:
            found.setdefault(c.code_id, (c.code_id, c.code_name, c.colour))
        return sorted(found.values(), key=lambda row: (row[1].casefold(), row[0]))

    def coders_present(self) -> list[str]:
        return sorted({c.coder for c in self.all_codings.items}, key=str.casefold)

    def filter_summary(self) -> str:
        """What the filter button says: every stripe, or how many codes show."""
        if not self.filter.active:
            return "Stripes: all"
        codes = self.codes_present()
        shown = sum(1 for code_id, _n, _c in codes if code_id not in self.filter.hidden_codes)
        text = f"Stripes: {shown} of {plural(len(codes), 'code')}"
        if self.filter.hidden_coders:
            coders = self.coders_present()
            kept = [c for c in coders if c not in self.filter.hidden_coders]
            text += ", " + (f"{', '.join(kept)} only" if kept else "no coders")
        return text

    def fill_filter_menu(self, menu: QMenu) -> None:
        """The filter as checkable entries: every code and every coder of this transcript."""
        show_all = menu.addAction("Show all stripes")
        show_all.setEnabled(self.filter.active)
        show_all.triggered.connect(lambda: self.set_filter())
        codes = self.codes_present()
        if codes:
            menu.addSection("Codes")
        for code_id, name, _colour in codes:
            action = menu.addAction(name.replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(code_id not in self.filter.hidden_codes)
            action.toggled.connect(lambda on, c=code_id: self._toggle_code(c, on))
        coders = self.coders_present()
        if coders:
            menu.addSection("Coders")
        for coder in coders:
            action = menu.addAction(coder.replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(coder not in self.filter.hidden_coders)
            action.toggled.connect(lambda on, c=coder: self._toggle_coder(c, on))

    def _toggle_code(self, code_id: int, shown: bool) -> None:
        codes = set(self.filter.hidden_codes)
        codes.discard(code_id) if shown else codes.add(code_id)
        self.set_filter(codes, self.filter.hidden_coders)

    def _toggle_coder(self, coder: str, shown: bool) -> None:
        coders = set(self.filter.hidden_coders)
        coders.discard(coder) if shown else coders.add(coder)
        self.set_filter(self.filter.hidden_codes, coders)

    # -- painting --------------------------------------------------------------------------
    def column_layout(self) -> tuple[dict[int, int], float, tuple[float, float] | None, bool]:
        """The columns in use, their pitch, the label lane's left and right, and whether
        the labels are turned.

        A column per code when that leaves room for a lane of labels across; else the
        packed columns; else the packed columns with a lane of turned labels; else the
        packed columns squeezed to the width, with no lane (``None``).
        """
        right = self.width() - PADDING / 2
        for packing in (False, True):  # the packed columns only if need be: see ``packed``
            columns = self.packed if packing else self.columns
            count = max(columns.values(), default=-1) + 1
            left = PADDING + COLUMN * (count - 1) + BAR + LABEL_GAP
            if count and right - left >= LABEL_MIN:
                return columns, float(COLUMN), (float(left), right), False
        count = max(self.packed.values(), default=-1) + 1
        left = PADDING + COLUMN * (count - 1) + BAR + 3
        thickness = self.label_height
        if count and right - left >= thickness:
            return self.packed, float(COLUMN), (float(left), left + thickness), True
        pitch = min(float(COLUMN), (self.width() - 2 * PADDING) / count) if count else COLUMN
        return self.packed, pitch, None, False

    def pitch(self) -> float:
        return self.column_layout()[1]

    def paintEvent(self, event: object) -> None:
        screen = self.editor.screen_lines()
        layout = self._layout(screen) if screen.starts and self.columns else None
        self._painted, self._labels = (layout.bars, layout.labels) if layout else ([], [])
        painter = QPainter(self)
        if layout is None:
            self._paint_ground(painter)
        else:
            painter.drawPixmap(0, 0, self._picture(layout))

    def _paint_ground(self, painter: QPainter) -> None:
        painter.fillRect(self.rect(), BACKGROUND)
        painter.setPen(RULE)
        painter.drawLine(0, 0, 0, self.height())

    def _picture(self, layout: StripeLayout) -> QPixmap:
        """The margin drawn: kept while its layout, the selection and the size stay (an
        empty margin between two transcripts does not count)."""
        ratio = self.devicePixelRatioF()
        key = (layout, self.selected, self.size().toTuple(), ratio)
        kept = self._drawn
        if kept is not None and kept[0][0] is layout and kept[0][1:] == key[1:]:
            return kept[1]
        picture = QPixmap(self.size() * ratio)
        picture.setDevicePixelRatio(ratio)
        painter = QPainter(picture)
        painter.setFont(self.font())  # a pixmap's painter starts with the application's
        self._paint_ground(painter)
        self._draw(painter, layout)
        painter.end()
        self._drawn = (key, picture)
        return picture

    def _draw(self, painter: QPainter, layout: StripeLayout) -> None:
        for rect, coding in layout.bars:
            painter.fillRect(rect, self._colour(coding.colour))
        self._paint_selection(painter)
        metrics = QFontMetrics(self.font())
        for rect, coding in layout.labels:
            if layout.turned:
                painter.save()
                painter.translate(rect.left(), rect.top())
                painter.rotate(90)  # (x, y) here is (y, -x) on screen: text reads downwards
                self._paint_label(painter, metrics, QRectF(0, -rect.width(), rect.height(),
                                                           rect.width()), coding)
                painter.restore()
            else:
                self._paint_label(painter, metrics, rect, coding)

    def _layout(self, screen: ScreenLines) -> StripeLayout:
        """Where the bars and labels of ``screen`` go: kept while nothing it depends on
        changes (a repaint for the selection, a hover, a transcript shown again)."""
        key = (self.index, self.editor.positions, self.columns, self.width(), self.height())
        kept = self._laid_out
        if kept is not None and kept[1] == screen and all(
                a is b for a, b in zip(kept[0][:3], key[:3], strict=True)) \
                and kept[0][3:] == key[3:]:
            return kept[2]
        layout = self._work_out_layout(screen)
        self._laid_out = (key, screen, layout)
        return layout

    def _work_out_layout(self, screen: ScreenLines) -> StripeLayout:
        positions = self.editor.positions
        low = positions.to_code_point(screen.start)
        high = positions.to_code_point(screen.end) + 1
        columns, pitch, lane, turned = self.column_layout()
        bar = min(BAR, max(pitch - 1, 2.0))
        requests: list[tuple[float, int, LabelRequest, CodingSpan]] = []
        bars: list[tuple[QRectF, CodingSpan]] = []
        label_height = self.label_height
        nudge = 2.0 if turned else \
            max(0.0, (self.editor.fontMetrics().lineSpacing() - label_height) / 2)
        for coding in self.index.overlapping(low, high):
            extent = screen.extent(*positions.span_to_view(coding.start, coding.end))
            if extent is None:
                continue
            top, bottom = extent
            column = columns.get(coding.code_id, 0)
            rect = QRectF(PADDING + pitch * column, top + 1, bar, max(bottom - top - 2, 3.0))
            bars.append((rect, coding))
            first = max(top, 0.0)
            full = self._text_width(coding.code_name) + CHIP + 6
            limit = max(bottom, first + label_height)
            if turned:  # across the lane its thickness, down it the name, cut to the passage
                length = min(full, TURNED_MAX, float(self.height()) - first - nudge)
                request = LabelRequest(coding.id, first + nudge, limit, label_height,
                                       length if length >= CHIP + 30 else 0.0)
            else:
                request = LabelRequest(coding.id, first + nudge, limit, full)
            if request.width and (not turned or request.height):
                requests.append((first, column, request, coding))
        if lane is None:
            return StripeLayout(bars, [], turned)
        # Top to bottom; on one line the shortest passage first, as the longer have room below.
        requests.sort(key=lambda item: (item[0], item[2].limit, item[1], item[2].key))
        stripes = [Box(r.left(), r.top(), r.right(), r.bottom()) for r, _c in bars]
        boxes = place_labels([item[2] for item in requests], stripes, lane[0], lane[1],
                             float(self.height()), label_height,
                             min_width=label_height if turned else LABEL_MIN)
        by_id = {item[3].id: item[3] for item in requests}
        labels = [(QRectF(box.left, box.top, box.right - box.left, box.bottom - box.top),
                   by_id[key]) for key, box in boxes.items()]
        return StripeLayout(bars, labels, turned)

    def _text_width(self, text: str) -> int:
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = QFontMetrics(self.font()).horizontalAdvance(text)
        return width

    def _colour(self, name: str, label: bool = False) -> QColor:
        """Colours by name, made once: a bar's fill, or (darker) its label's ink."""
        key = (name, label)
        colour = self._colours.get(key)
        if colour is None:
            colour = QColor(name).darker(170) if label else QColor(name)
            self._colours[key] = colour
        return colour

    def _paint_selection(self, painter: QPainter) -> None:
        for rect, coding in self._painted:
            if coding.id == self.selected:
                painter.setPen(QPen(QColor("#1F2933"), 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5))

    def _paint_label(self, painter: QPainter, metrics: QFontMetrics, rect: QRectF,
                     coding: CodingSpan) -> None:
        """A colour square, then the code's name (elided to the lane) in its darker ink."""
        if coding.id == self.selected:
            painter.fillRect(rect, SELECTED_LABEL)
        middle = rect.top() + rect.height() / 2
        painter.fillRect(QRectF(rect.left() + 1, middle - CHIP / 2, CHIP, CHIP),
                         self._colour(coding.colour))
        room = int(rect.width() - CHIP - 5)
        painter.setPen(self._colour(coding.colour, label=True))
        baseline = middle + (metrics.ascent() - metrics.descent()) / 2
        painter.drawStaticText(QPointF(rect.left() + CHIP + 4, baseline - metrics.ascent()),
                               self._label_text(coding.code_name, room, metrics))

    def _label_text(self, name: str, room: int, metrics: QFontMetrics) -> QStaticText:
        """A code's name as drawn in ``room`` pixels, elided if need be; laid out once."""
        key = (name, room if self._text_width(name) > room else -1)
        static = self._statics.get(key)
        if static is None:
            text = name if key[1] < 0 else metrics.elidedText(name, Qt.TextElideMode.ElideRight,
                                                              room)
            static = self._statics[key] = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
        return static

    # -- clicks, menus and tooltips ----------------------------------------------------------
    def codings_at(self, point: QPointF) -> list[CodingSpan]:
        """Codings whose label or bar (or the column slot beside it) is under ``point``,
        a label first, then bars shortest first."""
        labelled = [coding for rect, coding in self._labels
                    if rect.adjusted(0, -1, 0, 1).contains(point)]
        if labelled:
            return labelled
        if not self._painted:
            return []
        reach = max(self.pitch(), 8) - 2  # one layout for all the bars, not one each
        hits = [(rect.height(), coding) for rect, coding in self._painted
                if rect.left() - 2 <= point.x() <= rect.left() + reach
                and rect.top() - 1 <= point.y() <= rect.bottom() + 1]
        return [coding for _, coding in sorted(hits, key=lambda hit: hit[0])]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hits = self.codings_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and hits:
            self.select(hits[0].id)
            self.coding_clicked.emit(hits[0].id)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = bool(self.codings_at(event.position()))
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)

    def _select_and_tell(self, coding_id: int) -> None:
        self.select(coding_id)
        self.coding_clicked.emit(coding_id)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(QPointF(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self, point: QPointF) -> QMenu:
        """On a stripe: select it, its code's extracts, filter by it; elsewhere the filter."""
        menu = QMenu(self)
        hits = self.codings_at(point)
        if hits:
            coding = hits[0]
            name = coding.code_name.replace("&", "&&")
            select = menu.addAction("Select passage")
            select.triggered.connect(lambda: self._select_and_tell(coding.id))
            extracts = menu.addAction(f"Show extracts of {quoted(name)}")
            extracts.triggered.connect(lambda: self.extracts_requested.emit(coding.code_id))
            menu.addSeparator()
            hide = menu.addAction(f"Hide stripes of {quoted(name)}")
            hide.triggered.connect(lambda: self._toggle_code(coding.code_id, False))
            others = {c for c, _n, _k in self.codes_present()} - {coding.code_id}
            only = menu.addAction(f"Show only {quoted(name)}")
            only.setEnabled(bool(others))
            only.triggered.connect(lambda: self.set_filter(others, self.filter.hidden_coders))
            coders = set(self.coders_present()) - {coding.coder}
            by = menu.addAction(f"Show only stripes by {coding.coder.replace('&', '&&')}")
            by.setEnabled(bool(coders))
            by.triggered.connect(lambda: self.set_filter(self.filter.hidden_codes, coders))
            self.fill_filter_menu(menu.addMenu("Filter stripes"))
        else:
            self.fill_filter_menu(menu)
        return menu

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hits = self.codings_at(QPointF(event.pos()))
            if hits:
                QToolTip.showText(event.globalPos(), coding_tooltip(hits) + STRIPE_HINT, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class StripeFilterButton(QToolButton):
    """The filter of the stripe margin, as a button with a menu (reachable by keyboard)."""

    def __init__(self, margin: StripeMargin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.margin = margin
        self.setObjectName("stripeFilterButton")
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip("Choose which codes and coders have stripes in the margin")
        menu = QMenu(self)
        menu.aboutToShow.connect(lambda: self._refill(menu))
        self.setMenu(menu)
        margin.filter_changed.connect(self._relabel)
        self._relabel()

    def _refill(self, menu: QMenu) -> None:
        menu.clear()
        self.margin.fill_filter_menu(menu)

    def _relabel(self) -> None:
        self.setText(self.margin.filter_summary())


def _as_list(value: object) -> list[object]:
    """A QSettings list read back: a single value comes back bare, none as None."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]
