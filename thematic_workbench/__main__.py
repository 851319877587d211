"""Allow ``python -m thematic_workbench``."""

from thematic_workbench.cli import main

raise SystemExit(main())
