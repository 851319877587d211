"""Start the desktop app, after checking that Qt can run on this system."""

from __future__ import annotations

import os
import sys

from thematic_workbench.gui.window.platform_check import qt_problem

# Close the window (and with it the project, cleanly) this many milliseconds after it opens:
# how a packaged build proves that its window starts (packaging/bundle_check.py).
QUIT_AFTER_VARIABLE = "TWB_QUIT_AFTER_MS"


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
    quit_after = os.environ.get(QUIT_AFTER_VARIABLE, "")
    if quit_after.isdigit():
        from PySide6.QtCore import QTimer

        QTimer.singleShot(int(quit_after), window.close)
    return app.exec()
