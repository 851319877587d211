"""Start the desktop app, after checking that Qt can run on this system."""

from __future__ import annotations

import sys

from thematic_workbench.gui.window.platform_check import qt_problem


def launch(project: str | None, coder: str) -> int:
    """Open the main window, on ``project`` if given; return the exit code."""
    problem = qt_problem()
    if problem:
        print(f"thematic-workbench: error: {problem}", file=sys.stderr)
        return 1
    from thematic_workbench.gui.window.app import make_application
    from thematic_workbench.gui.window.main_window import MainWindow

    app = make_application()
    window = MainWindow(coder)
    window.show()
    if project:
        window.open_project(project)
    return app.exec()
