"""Driving the map of themes as a user would, shared by the map GUI tests."""

from __future__ import annotations

from thematic_workbench.gui.map.view import MapView
from thematic_workbench.gui.window.main_window import MainWindow


def map_tab(window: MainWindow) -> MapView:
    """Show the window's map tab, as a click on it would, and return its view."""
    assert window.workspace is not None
    window.workspace.show_tab("map")
    return window.workspace.map


def drag_nodes(view: MapView, keys: list[tuple[str, int]], dx: float, dy: float) -> None:
    """What a mouse drag of the selected nodes does, ending in the release."""
    scene = view.scene
    scene.clearSelection()
    for key in keys:
        scene.nodes[key].setSelected(True)
    scene._pressed = {k: (scene.nodes[k].pos().x(), scene.nodes[k].pos().y()) for k in keys}
    for key in keys:
        scene.nodes[key].moveBy(dx, dy)
    scene.finish_move()
