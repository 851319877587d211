"""Two edits of the same thing: the second, made on what its coder saw before the first,
is refused and says what the thing is now; nothing of it is saved."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from thematic_workbench.core.errors import ConflictError
from thematic_workbench.core.services.codes import create_code, define_code, rename_code
from thematic_workbench.core.services.themes import create_theme, rename_theme
from thematic_workbench.core.storage.models import AuditEvent, Code, Theme
from thematic_workbench.core.storage.store import ProjectStore


def _events(store: ProjectStore) -> int:
    with store.read() as session:
        return session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def _name(store: ProjectStore, model: type[Code] | type[Theme], entity_id: int) -> str:
    with store.read() as session:
        return session.execute(select(model.name).where(model.id == entity_id)).scalar_one()


def test_a_rename_on_a_stale_name_is_refused_in_a_file(tmp_path: Path) -> None:
    with ProjectStore.create(tmp_path / "s.thematic", "S") as store:
        with store.transaction("alice") as tx:
            code = create_code(tx, "Trust").new_id("code")
            theme = create_theme(tx, "Holding both roles").new_id("theme")
        with store.transaction("bob") as tx:
            rename_code(tx, code, "Trust-building", seen="Trust")
        before = _events(store)
        with pytest.raises(ConflictError, match="'Trust-building', not 'Trust'"), \
                store.transaction("alice") as tx:
            rename_code(tx, code, "Trust in the court", seen="Trust")
        with pytest.raises(ConflictError), store.transaction("alice") as tx:
            define_code(tx, code, "Meant otherwise", seen="an old definition")
        with pytest.raises(ConflictError), store.transaction("alice") as tx:
            rename_theme(tx, theme, "Two hats", seen="Holding two roles")
        assert _name(store, Code, code) == "Trust-building"
        assert _name(store, Theme, theme) == "Holding both roles"
        assert _events(store) == before
        with store.transaction("alice") as tx:  # on what is there now, it goes through
            rename_code(tx, code, "Trust in the court", seen="Trust-building")
        assert _name(store, Code, code) == "Trust in the court"


def test_two_coders_renaming_at_once_on_a_server_one_wins_one_is_told(server_url: str) -> None:
    with ProjectStore.create(server_url, "Team", coder="alice") as store, \
            store.transaction("alice") as tx:
        code = create_code(tx, "Trust").new_id("code")
    first_holds_the_row = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        with ProjectStore.open(server_url) as store, store.transaction("alice") as tx:
            rename_code(tx, code, "Trust-building", seen="Trust")
            first_holds_the_row.set()
            threading.Event().wait(0.4)  # still uncommitted while the second one tries
        outcome["first"] = "saved"

    def second() -> None:
        first_holds_the_row.wait(10)
        try:
            with ProjectStore.open(server_url) as store, store.transaction("bob") as tx:
                rename_code(tx, code, "Trust in the court", seen="Trust")
            outcome["second"] = "saved"
        except ConflictError as conflict:
            outcome["second"] = str(conflict)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcome["first"] == "saved"
    assert "someone else changed this code" in str(outcome["second"])
    assert "'Trust-building'" in str(outcome["second"])
    with ProjectStore.open(server_url, readonly=True) as store:
        assert _name(store, Code, code) == "Trust-building"
