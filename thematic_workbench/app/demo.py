"""Build the demo project from the package's ``resources/demo``: four fictional interviews,
partly coded.

Everything goes through the same services a researcher's actions use, so the demo's audit
trail reads like a real one.
"""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs

from thematic_workbench.core import APP_NAME
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import ProjectError
from thematic_workbench.core.queries.project import find_document
from thematic_workbench.core.services import codes, codings, diary, participants, phases, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.reader import read_document
from thematic_workbench.resources import resource_path

DEMO_DIR = resource_path("demo")
"""The demo's sources, shipped inside the package so an installed wheel has them too."""


def default_demo_path() -> Path:
    """Where ``make run`` and the start page keep the demo: the user's data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "demo.thematic"


def ensure_demo(path: str | Path | None = None, coder: str = "researcher") -> Path:
    """The demo project at ``path`` (default: the data folder), built there the first time.

    An existing file is left as it is: the user may have worked in the demo since.
    """
    target = Path(path) if path is not None else default_demo_path()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        build_demo(target, coder=coder)
    return target


def build_demo(path: str | Path, coder: str = "researcher",
               source_dir: Path = DEMO_DIR) -> Path | str:
    plan_file = source_dir / "plan.json"
    if not plan_file.is_file():
        raise ProjectError(f"{plan_file}: the demo's source files are missing from this install")
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    imported = [(read_document(source_dir / item["file"]), item["participant"])
                for item in plan["documents"]]
    store = ProjectStore.create(path, plan["title"], coder=coder)
    try:
        with store.transaction(coder) as tx:
            for attribute in plan["attributes"]:
                participants.define_attribute(tx, attribute["name"], attribute["type"])
            for person in plan["participants"]:
                person_id = participants.create_participant(tx, person["label"]) \
                    .new_id(Kind.PARTICIPANT)
                for name, value in person["attributes"].items():
                    participants.set_participant_attribute(tx, person_id, name, value)
        for document, label in imported:
            with store.transaction(coder) as tx:
                import_document(tx, document, label)
        with store.transaction(coder) as tx:
            code_ids = {
                item["name"]: codes.create_code(
                    tx, item["name"], definition=item.get("definition", ""),
                    colour=item.get("colour"),
                    origin="in_vivo" if item["name"].startswith('"') else "inductive",
                ).new_id(Kind.CODE)
                for item in plan["codes"]
            }
            for item in plan["codings"]:
                document_id = find_document(tx.session, item["document"]).id
                codings.code_match(tx, document_id, code_ids[item["code"]], item["match"],
                                   item.get("memo", ""))
        with store.transaction(coder) as tx:
            phases.move_to_phase(tx, 2, "Familiarisation done: all four transcripts read twice "
                                        "with margin notes.")
            for entry in plan.get("diary", []):
                diary.add_entry(tx, entry)
            phases.move_to_phase(tx, plan["phase"]["number"], plan["phase"]["note"])
            for final in plan.get("final_themes", []):
                themes.create_theme(tx, final["name"], level="final",
                                    definition=final.get("definition", ""))
            parents = {final["name"]: themes.find_theme(tx, final["name"]).id
                       for final in plan.get("final_themes", [])}
            parent_of = {emerging: final["name"] for final in plan.get("final_themes", [])
                         for emerging in final["emerging"]}
            for theme in plan["themes"]:
                theme_id = themes.create_theme(
                    tx, theme["name"], level="emerging", definition=theme.get("definition", ""),
                    parent_id=parents.get(parent_of.get(theme["name"], "")),
                ).new_id(Kind.THEME)
                for code_name in theme["codes"]:
                    themes.assign_code(tx, code_ids[code_name], theme_id)
    except BaseException:
        store.close()
        if store.path is not None:  # a server's database is the user's to drop
            for leftover in (store.path, Path(f"{store.path}-wal"), Path(f"{store.path}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    store.close()
    return store.path if store.path is not None else store.location
