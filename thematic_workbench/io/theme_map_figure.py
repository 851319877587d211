"""Where the extracts report finds the map of themes; :mod:`thematic_workbench.io.map_figure`
draws it (the map as arranged on screen, replacing the earlier fixed tree)."""

from __future__ import annotations

from thematic_workbench.io.map_figure import theme_map_png

__all__ = ["theme_map_png"]
