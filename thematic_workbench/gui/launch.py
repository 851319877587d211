"""Start the desktop app, after checking that Qt can run on this system."""

from __future__ import annotations

import sys

from thematic_workbench.gui.platform_check import qt_problem


def launch(project: str | None, coder: str) -> int:
    """Open the app on ``project``. Until the coding workspace lands, report what it would open."""
    problem = qt_problem()
    if problem:
        print(f"thematic-workbench: error: {problem}", file=sys.stderr)
        return 1
    from thematic_workbench.core.errors import WorkbenchError
    from thematic_workbench.core.queries import document_summaries
    from thematic_workbench.core.store import ProjectStore

    print("Qt is available. The desktop window (the coding workspace) is not part of this "
          "version yet; use the command-line verbs meanwhile (thematic-workbench --help).")
    if project:
        try:
            with ProjectStore.open(project, readonly=True) as store, store.read() as session:
                docs = document_summaries(session)
                title = store.title()
        except WorkbenchError as error:
            print(f"thematic-workbench: error: {error}", file=sys.stderr)
            return 1
        print(f"Project '{title}' ({project}), coder {coder}: {len(docs)} transcripts")
        for doc in docs:
            print(f"  {doc.participant or '-':6} {doc.name:40} {doc.lines:5} lines  "
                  f"{doc.coded_percent:3.0f}% coded")
    return 0
