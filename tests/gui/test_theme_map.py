"""The map of themes in the window: drag a node and find it there after reopening; draw,
relabel and delete a link; undo each; arrange anew; click through to extracts; export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.map_helpers import drag_nodes, map_tab
from tests.gui.window_helpers import open_window
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.services.map_layout import node_positions
from thematic_workbench.core.storage.models import AuditEvent, ThemeLink
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.map.view import MapView


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo.thematic")


def _theme_keys(view: MapView) -> list[tuple[str, int]]:
    return [key for key, item in view.scene.nodes.items() if item.level == "final"]


def test_dragged_nodes_stay_where_they_were_put(demo: Path, qtbot: QtBot, settings: QSettings,
                                                screenshot) -> None:
    window = open_window(qtbot, settings, demo, "alice")
    view = map_tab(window)
    first, second = _theme_keys(view)[:2]
    start = view.scene.nodes[first].pos()
    drag_nodes(view, [first, second], 40, 25)
    with window.session.read() as read:
        saved = node_positions(read)
        event = read.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalar()
    assert saved[first] == (round(start.x() + 40, 2), round(start.y() + 25, 2))
    assert event.action == "map.move"
    qtbot.wait(300)  # the default panel sizes settle on the next turns of the event loop
    screenshot(window, "theme-map")
    window.close_project()
    assert window.open_project(demo)
    view = map_tab(window)
    moved = view.scene.nodes[first].pos()
    assert (moved.x(), moved.y()) == saved[first]
    window.session.undo_stack.setIndex(0)  # nothing to undo after reopening
    assert not window.session.undo_stack.canUndo()


def test_undo_puts_nodes_back_and_arrange_is_one_step(demo: Path, qtbot: QtBot,
                                                      settings: QSettings) -> None:
    window = open_window(qtbot, settings, demo, "alice")
    view = map_tab(window)
    key = _theme_keys(view)[0]
    before = view.scene.nodes[key].pos()
    drag_nodes(view, [key], -100, 0)
    window.undo()
    view.follower.flush()
    with window.session.read() as read:
        assert key not in node_positions(read)  # it had never been saved
    assert view.scene.nodes[key].pos() == before
    view.layout_box.setCurrentIndex(1)  # spring
    view.arrange()
    with window.session.read() as read:
        saved = node_positions(read)
    assert set(saved) == set(view.scene.nodes)
    window.undo()
    with window.session.read() as read:
        assert node_positions(read) == {}


def test_links_are_drawn_relabelled_and_deleted(demo: Path, qtbot: QtBot, settings: QSettings,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window(qtbot, settings, demo, "alice")
    view = map_tab(window)
    first, second = _theme_keys(view)[:2]
    monkeypatch.setattr(QInputDialog, "getItem",
                        staticmethod(lambda *args, **kwargs: ("tension with", True)))
    view.link_button.setChecked(True)
    view.scene.link_requested.emit(first, second)
    view.follower.flush()
    with window.session.read() as read:
        link = read.execute(select(ThemeLink)).scalar_one()
    assert (link.source_theme_id, link.target_theme_id, link.label) == \
        (first[1], second[1], "tension with")
    edge = next(e for e in view.scene.edges if e.kind == "link")
    assert edge.text is not None and edge.text.text() == "tension with"
    monkeypatch.setattr(view, "ask_label", lambda current: ("flows into", True))
    view.relabel(link.id)
    view.follower.flush()
    edge = next(e for e in view.scene.edges if e.kind == "link")
    edge.setSelected(True)
    view.delete_selected_links()
    with window.session.read() as read:
        assert read.execute(select(ThemeLink)).first() is None
    window.undo()  # the deletion
    with window.session.read() as read:
        assert read.get(ThemeLink, link.id).label == "flows into"
    window.undo()
    window.undo()
    with window.session.read() as read:
        assert read.execute(select(ThemeLink)).first() is None


def test_clicking_a_node_shows_its_extracts_and_codes_can_be_hidden(
        demo: Path, qtbot: QtBot, settings: QSettings) -> None:
    window = open_window(qtbot, settings, demo, "alice")
    view = map_tab(window)
    codes = [k for k in view.scene.nodes if k[0] == "code"]
    assert codes
    view.scene.node_activated.emit(codes[0])
    qtbot.waitUntil(lambda: window.extracts.model.rowCount() > 0)
    view.codes_box.setCurrentIndex(0)
    assert all(k[0] == "theme" for k in view.scene.nodes)
    view.codes_box.setCurrentIndex(1)
    view.cooccurrence_box.setCurrentIndex(2)  # same speaker turn (the demo has no overlaps)
    assert any(e.kind == "cooccurrence" for e in view.scene.edges)


def test_export_figure_from_the_map(demo: Path, qtbot: QtBot, settings: QSettings,
                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window(qtbot, settings, demo, "alice")
    view = map_tab(window)
    target = tmp_path / "figure.svg"
    monkeypatch.setattr(view, "ask_figure_path", lambda: target)
    preview = view.export_figure()
    assert preview is not None
    qtbot.waitUntil(lambda: preview.save_button.isEnabled(), timeout=20_000)
    preview.save_button.click()  # the figure is shown first; Save writes it
    qtbot.waitUntil(lambda: not view.jobs and target.exists(), timeout=20_000)
    text = target.read_text(encoding="utf-8")
    with ProjectStore.open(demo, readonly=True) as store, store.read() as read:
        from thematic_workbench.core.queries.theme_board import read_board

        names = [t.name for t in read_board(read).finals]
    assert text.startswith("<?xml") and all(name.split()[0] in text for name in names)
    assert window.notice.text().startswith("Wrote the map of themes")
