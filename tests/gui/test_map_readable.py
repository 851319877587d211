"""A readable map: at Fit every word drawn can be read (smaller words give way to grey
bars and a hint), on the demo and on a map of 60 themes and 500 codes; Arrange asks before it
replaces a hand-made arrangement, and Ctrl+Z brings that back; the figure is shown before it
is written, and the file written is the figure shown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRectF, QSettings, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QInputDialog,
    QMessageBox,
    QStyleOptionGraphicsItem,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.map_helpers import drag_nodes, map_tab
from tests.gui.window_helpers import open_window
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.reports.map_boxes import FONT_PX
from thematic_workbench.core.services import codes, themes
from thematic_workbench.core.services.map_layout import node_positions
from thematic_workbench.core.storage.models import ThemeLink
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.map.items import NodeItem
from thematic_workbench.gui.map.view import MapView
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.window.main_window import MainWindow

MIN_PT = 7.0


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo.thematic")


@pytest.fixture
def large(tmp_path: Path) -> Path:
    """60 themes (10 final, each over 5 emerging) and 500 codes, all in themes."""
    path = tmp_path / "large.thematic"
    ProjectStore.create(path, "Large study").close()
    with ProjectStore.open(path) as store, store.transaction("researcher") as tx:
        emerging = []
        for f in range(10):
            final = themes.create_theme(tx, f"Final theme {f + 1}: what holds the work",
                                        "final").new_id("theme")
            emerging += [themes.create_theme(tx, f"Emerging theme {f + 1}.{e + 1} about care",
                                             parent_id=final).new_id("theme")
                         for e in range(5)]
        for n in range(500):
            code = codes.create_code(tx, f"Code {n + 1} on the daily work").new_id("code")
            themes.assign_code(tx, code, emerging[n % len(emerging)])
    return path


@contextmanager
def _map_view(qtbot: QtBot, path: Path, size: tuple[int, int]) -> Iterator[MapView]:
    """The map tab on its own, at ``size``, fitted."""
    with ProjectStore.open(path) as store:
        session = ProjectSession(store, "alice")
        view = MapView(session)
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        view.view.fit()
        yield view
        session.undo_stack.clear()


def _screen_pt(view: MapView, font_px: float) -> float:
    """Text ``font_px`` scene pixels high, in points on screen, from the view's transform."""
    on_screen = view.view.transform().map(QRectF(0, 0, 1, font_px)).boundingRect().height()
    return on_screen * 72 / view.view.logicalDpiY()


def _check_fit(view: MapView) -> set[str]:
    """Every label drawn at Fit is at least MIN_PT; every theme's is drawn. Returns the
    levels whose labels are not drawn."""
    scale, dpi = view.view.transform().m11(), view.view.logicalDpiY()
    shown = [item for item in view.scene.labels() if item.label_shown(scale, dpi)]
    assert shown
    assert min(_screen_pt(view, item.font_px) for item in shown) >= MIN_PT
    themes_drawn = [item.label_shown(scale, dpi) for item in view.scene.nodes.values()
                    if item.is_theme]
    assert themes_drawn and all(themes_drawn)
    return {item.level for item in view.scene.nodes.values()
            if not item.label_shown(scale, dpi)}


def test_fit_on_the_demo_keeps_names_legible(demo: Path, qtbot: QtBot) -> None:
    with _map_view(qtbot, demo, (740, 400)) as view:  # the map tab's size at 1366x768
        hidden = _check_fit(view)
        if _screen_pt(view, FONT_PX["code"]) < MIN_PT:
            assert hidden == {"code"}
            assert view.hint.text().startswith("Zoom in to read code names.")
        view.view.zoom_keys(1 / 0.8)
        view.view.zoom_keys(1.25)  # codes readable now: drawn, and the hint says nothing
        assert _screen_pt(view, FONT_PX["code"]) >= MIN_PT
        assert not view.scene.hidden_label_levels(view.view.transform().m11(),
                                                  view.view.logicalDpiY())
        assert view.hint.text().startswith("Drag nodes")


def test_fit_on_a_large_map_keeps_theme_names_legible(large: Path, qtbot: QtBot) -> None:
    with _map_view(qtbot, large, (1100, 600)) as view:
        assert len(view.scene.nodes) == 560
        assert _check_fit(view) == {"code"}
        assert view.view.cut  # too large to show whole at a readable size
        assert view.hint.text().startswith(
            "Zoom in to read code names. Scroll to see the rest of the map, or choose Themes "
            "only for an overview.")
        first = next(item for item in view.scene.nodes.values() if item.level == "final")
        where = view.view.mapFromScene(first.pos())
        assert view.view.viewport().rect().contains(where)  # Fit starts at the top
        view.view.zoom(0.5)  # zoomed out by hand: theme names too give way to bars
        assert view.hint.text().startswith("Zoom in to read theme names.")
        view.codes_box.setCurrentIndex(0)  # themes only: Fit shows more of the map
        view.view.fit()
        _check_fit(view)
        assert all(item.is_theme for item in view.scene.nodes.values())


def _dark_pixels(item: NodeItem, scale: float) -> int:
    """Dark pixels in the text part of ``item`` painted at ``scale``."""
    image = QImage(400, 200, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.scale(scale, scale)
    painter.translate(-item.shape_rect.topLeft())
    item.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()
    text = QRectF(item.text_rect.topLeft() - item.shape_rect.topLeft(),
                  item.text_rect.size())
    box = QRectF(text.left() * scale, text.top() * scale, text.width() * scale,
                 text.height() * scale).toRect().adjusted(2, 2, -2, -2)
    return sum(1 for x in range(box.left(), box.right()) for y in range(box.top(), box.bottom())
               if QImage.pixelColor(image, x, y).lightness() < 120)


def test_a_label_too_small_to_read_is_not_drawn(qtbot: QtBot) -> None:
    code = NodeItem(("code", 1), "code", "Trust built slowly over months", "#2563EB")
    assert _dark_pixels(code, 1.0) > 20  # readable: the words are drawn
    assert _dark_pixels(code, 0.5) == 0  # 4.5 pt: grey bars stand for them


# -- Arrange ---------------------------------------------------------------------------------
def _answer(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    """Answer the next message boxes by clicking the buttons named; returns their texts."""
    asked: list[str] = []

    def exec_box(box: QMessageBox) -> int:
        asked.append(box.text())
        button = next(b for b in box.buttons() if b.text().replace("&", "") == answers[0])
        answers.pop(0)
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return asked


def test_arrange_asks_before_replacing_a_hand_arrangement_and_undoes(
        demo: Path, qtbot: QtBot, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window(qtbot, settings, demo, "alice")
    view = map_tab(window)
    asked = _answer(monkeypatch, [])
    view.arrange()  # nothing placed by hand yet: no question
    assert asked == []
    window.undo()
    view.follower.flush()
    finals = [key for key, item in view.scene.nodes.items() if item.level == "final"]
    drag_nodes(view, finals, 60, 35)
    view.follower.flush()
    with window.session.read() as read:
        hand = node_positions(read)
    assert set(hand) == set(finals)

    asked = _answer(monkeypatch, ["Cancel"])
    view.arrange()
    assert asked == ["Replace your arrangement of 2 nodes with the automatic layout? "
                     "You can undo this."]
    with window.session.read() as read:
        assert node_positions(read) == hand

    asked = _answer(monkeypatch, ["Arrange"])
    view.arrange()
    assert len(asked) == 1
    with window.session.read() as read:
        arranged = node_positions(read)
    assert set(arranged) == set(view.scene.nodes)
    assert all(arranged[key] != hand[key] for key in finals)

    window.activateWindow()
    view.view.setFocus()
    qtbot.waitUntil(lambda: view.view.hasFocus())
    qtbot.keyClick(view.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with window.session.read() as read:
        assert node_positions(read) == hand  # the hand arrangement, and nothing else saved
    view.follower.flush()
    assert all((view.scene.nodes[key].pos().x(), view.scene.nodes[key].pos().y()) == hand[key]
               for key in finals)


# -- the figure --------------------------------------------------------------------------------
def _grey(image: QImage, width: int, height: int) -> np.ndarray:
    scaled = image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                          Qt.TransformationMode.SmoothTransformation)
    grey = scaled.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = [bytes(grey.constScanLine(y))[:width] for y in range(height)]
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(height, width).astype(float)


def test_the_figure_is_shown_before_it_is_written(demo: Path, qtbot: QtBot, tmp_path: Path,
                                                  screenshot) -> None:
    target = tmp_path / "Figure 1.png"
    with _map_view(qtbot, demo, (900, 600)) as view:
        view.ask_figure_path = lambda: target  # type: ignore[method-assign]
        notices: list[str] = []
        view.notice.connect(notices.append)
        preview = view.export_figure()
        assert preview is not None and preview.isVisible()
        qtbot.waitUntil(lambda: preview.rendered is not None, timeout=20_000)
        assert not target.exists()  # nothing is written before Save
        shown = preview.rendered
        width_px, height_px = shown.pixels
        assert abs(width_px - shown.size_cm[0] / 2.54 * 300) < 1  # 17 cm at 300 dpi
        assert preview.format_label.text().startswith(
            f"PNG image at 300 dpi: {width_px:,} × {height_px:,} pixels")
        assert "codes shown" in preview.contents_label.text()
        assert "co-occurrence hidden" in preview.contents_label.text()
        assert not preview.picture.pixmap().isNull()
        screenshot(preview, "map-export-preview")

        preview.codes_box.setChecked(False)  # themes only: drawn again, described again
        qtbot.waitUntil(lambda: preview.rendered is not shown, timeout=20_000)
        themes_only = preview.rendered
        assert "codes hidden" in preview.contents_label.text()
        preview.codes_box.setChecked(True)
        qtbot.waitUntil(lambda: preview.rendered is not themes_only, timeout=20_000)

        qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not view.jobs and target.exists(), timeout=20_000)
        written = QImage(str(target))
        assert (written.width(), written.height()) == (width_px, height_px)
        shown_image = QImage.fromData(preview.rendered.png)
        size = (shown_image.width(), shown_image.height())
        unlike = QImage.fromData(themes_only.png)
        difference = np.abs(_grey(written, *size) - _grey(shown_image, *size)).mean()
        other = np.abs(_grey(unlike, *size) - _grey(shown_image, *size)).mean()
        assert difference < 3 < other  # the file is the picture shown, not another map
        assert notices == [f"Wrote the map of themes to {target}."]


def test_file_export_map_shows_the_figure_first(demo: Path, qtbot: QtBot, settings: QSettings,
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window(qtbot, settings, demo, "alice")
    target = tmp_path / "Figure 1.svg"
    monkeypatch.setattr(window.exchange, "ask_target", lambda kind: target)
    window.actions_by_key["export_map"].trigger()
    preview = window.exchange.map_preview
    assert preview is not None and preview.isVisible()
    qtbot.waitUntil(lambda: preview.rendered is not None, timeout=20_000)
    assert preview.format_label.text().startswith("SVG drawing, 17.0 × ")
    assert "codes hidden, co-occurrence hidden" in preview.contents_label.text()
    assert not target.exists()
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.exchange.jobs and target.exists(), timeout=20_000)
    text = target.read_text(encoding="utf-8")
    finals = [node.label for node in preview.rendered.data.nodes if node.level == "final"]
    assert finals and all(label.split()[0] in text for label in finals)
    assert window.notice.text().startswith("Wrote the map of themes to")


def test_map_at_fit_on_a_laptop_screen(demo: Path, qtbot: QtBot, settings: QSettings,
                                       screenshot) -> None:
    """The window as it first opens on a 1366x768 screen, the map tab at Fit."""
    window = MainWindow("alice", settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.open_project(demo)
    view = map_tab(window)
    qtbot.wait(400)  # the default panel sizes are set on the next turns of the event loop
    view.view.fit()
    _check_fit(view)
    hint = view.hint  # every line of the hint shows, inside the tab
    assert hint.isVisible() and hint.height() >= hint.heightForWidth(hint.width())
    tab = view.parentWidget()
    assert hint.mapTo(tab, hint.rect().bottomLeft()).y() < tab.height()
    screenshot(window, "map-fit")


# -- keys, right-click, read-only --------------------------------------------------------------
def test_zoom_by_keys_and_the_right_click_menu(demo: Path, qtbot: QtBot,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with _map_view(qtbot, demo, (900, 500)) as view:
        view.activateWindow()
        view.view.setFocus()
        qtbot.waitUntil(lambda: view.view.hasFocus())
        fitted = view.view.transform().m11()
        qtbot.keyClick(view.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        assert view.view.transform().m11() == pytest.approx(fitted * 1.25)
        assert view.hint.text().startswith("Drag nodes")  # codes readable once zoomed in
        qtbot.keyClick(view.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(view.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
        assert view.view.transform().m11() == pytest.approx(fitted * 1.25 * 0.8 * 0.8)
        qtbot.keyClick(view.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
        assert view.view.transform().m11() == pytest.approx(fitted)

        first, second = [k for k, i in view.scene.nodes.items() if i.level == "final"][:2]
        monkeypatch.setattr(QInputDialog, "getItem",
                            staticmethod(lambda *args, **kwargs: ("leads to", True)))
        view.scene.link_requested.emit(first, second)
        view.follower.flush()
        edge = next(e for e in view.scene.edges if e.kind == "link")
        middle = edge.path().pointAtPercent(0.5)
        view.view.centerOn(middle)
        menu = view.context_menu(view.view.mapFromScene(middle))
        names = [a.text() for a in menu.actions() if not a.isSeparator()]
        assert names == ["Relabel link…", "Delete link", "Zoom in", "Zoom out", "Fit",
                         "Arrange anew", "Export figure…"]
        next(a for a in menu.actions() if a.text() == "Delete link").trigger()
        with view.session.read() as read:
            assert read.execute(select(ThemeLink)).first() is None
        view.session.undo_stack.undo()
        with view.session.read() as read:
            assert read.execute(select(ThemeLink)).scalar_one().label == "leads to"
        empty = view.context_menu(QPoint(3, 3))
        assert next(a.text() for a in empty.actions() if not a.isSeparator()) == "Zoom in"


def test_a_read_only_map_cannot_be_changed(demo: Path, qtbot: QtBot) -> None:
    with ProjectStore.open(demo, readonly=True) as store:
        session = ProjectSession(store, "alice")
        view = MapView(session)
        qtbot.addWidget(view)
        view.show()
        assert not view.layout_button.isEnabled() and not view.link_button.isEnabled()
        node = next(iter(view.scene.nodes.values()))
        assert not node.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable
        menu = view.context_menu(QPoint(3, 3))
        arrange = next(a for a in menu.actions() if a.text() == "Arrange anew")
        assert not arrange.isEnabled()
        assert "Read-only" in view.hint.text() and "Drag nodes" not in view.hint.text()
