"""Allow ``python -m thematic_workbench.cli``."""

from thematic_workbench.cli import main

raise SystemExit(main())
