"""The backup use case: the preferences' folder and keeping rule, and what it says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from thematic_workbench.app.backups import (
    back_up,
    backups_folder,
    needs_backup,
    project_backups,
)
from thematic_workbench.app.preferences import Preferences
from thematic_workbench.core.services import codes
from thematic_workbench.core.storage.store import ProjectStore

START = datetime(2026, 5, 4, 8, 30, tzinfo=UTC)


def test_back_up_keeps_what_the_preferences_say(tmp_path: Path) -> None:
    project = tmp_path / "study.thematic"
    ProjectStore.create(project, "Study", coder="alice").close()
    chosen = Preferences(backup_folder=str(tmp_path / "kept"), backups_kept=2,
                         daily_backups_kept=0)
    assert backups_folder(project, chosen) is None
    outcomes = []
    for minutes in range(4):
        with ProjectStore.open(project) as store, store.transaction("alice") as tx:
            codes.create_code(tx, f"Code {minutes}")
        assert needs_backup(project, chosen)
        outcomes.append(back_up(project, chosen, when=START + timedelta(minutes=minutes)))
        assert not needs_backup(project, chosen)
    assert [len(o.removed) for o in outcomes] == [0, 0, 1, 1]
    kept = project_backups(project, chosen)
    assert [r.id for r in kept] == ["20260504-083300", "20260504-083200"]
    assert backups_folder(project, chosen) == kept[0].path.parent
    assert kept[0].path.parent.parent == tmp_path / "kept"
    assert outcomes[-1].message() == "Backup taken at 08:33 UTC (0 codings), verified"
    unchanged = back_up(project, chosen)
    assert unchanged.taken is None
    assert unchanged.message().startswith("No backup needed")
