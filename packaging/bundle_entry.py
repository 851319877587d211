"""The bundled program's entry point: the same ``main`` the installed command runs."""

from thematic_workbench.cli import main

raise SystemExit(main())
