"""The interactive map of themes: a QGraphicsView over the theme graph."""
