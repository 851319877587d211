"""Create the Qt application and the main window."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from thematic_workbench import __version__
from thematic_workbench.resources import resource_path

ICON_FILE = "thematic-workbench.svg"
DESKTOP_ID = "org.thematicworkbench.ThematicWorkbench"


def application_icon() -> QIcon:
    """The app's icon (an SVG, so it stays sharp at every size the desktop asks for)."""
    return QIcon(str(resource_path("icons", ICON_FILE)))


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, with a calm, consistent look on every platform."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Thematic Workbench")
    app.setOrganizationName("Thematic Workbench")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_ID)  # the desktop entry in packaging/linux
    app.setWindowIcon(application_icon())
    app.setStyle(QStyleFactory.create("Fusion"))
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#F7F7F8"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#F3F4F6"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#2F5D8A"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#FFFFFF"))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    return app
