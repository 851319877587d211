"""The command line: the parser, the output helpers and a module per group of verbs.

``main`` is the console entry point (``thematic-workbench``); without a verb it opens
the desktop app.
"""

from thematic_workbench.cli.entry import main

__all__ = ["main"]
