"""A study the size the window is made for: eleven therapist interviews (PA to PK), with
the long file names and code names real studies have, coded and grouped into themes.

Built through the same reader and services a researcher's import and coding use.
"""

from __future__ import annotations

from pathlib import Path

from thematic_workbench.core.services import codes, codings, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.reader import read_document

ROLES = ("forensic-psychologist", "probation-counsellor", "nurse-therapist", "art-therapist",
         "clinical-psychologist", "psychiatrist", "occupational-therapist",
         "family-therapist", "group-analyst", "drama-therapist", "social-worker")
LABELS = tuple(f"P{chr(ord('A') + i)}" for i in range(11))
CODE_NAMES = (
    "Honest about the limits of confidentiality",
    "Dual role: carer and protector of the public",
    "Clients testing boundaries early in treatment",
    '"you can never be wholly collaborative"',
    "Trust built slowly through small reliabilities",
    "Offering small choices within a mandated frame",
    "Supervision as a place to hold the work",
    "Carrying the work home after difficult sessions",
)
THEMES = (("Serving two masters", CODE_NAMES[:4]),
          ("Trust as slow, unglamorous work", CODE_NAMES[4:]))
FINAL = "Dynamics of forced work: 'it can never be wholly collaborative'"


def _transcript(label: str, role: str) -> str:
    turns = []
    for number in range(1, 31):
        turns.append(f"Interviewer: Can you say more about moment {number} with clients who "
                     "did not choose to be here?")
        turns.append(f"{label}: I think of it as being honest about what I have to report, "
                     f"and then still trying to be alongside them as a {role.replace('-', ' ')}"
                     f". Moment {number} was when a client told me they expected me to write "
                     "everything down, and I said what I would and would not pass on.")
    return "\n".join(turns) + "\n"


def build_eleven(path: Path, coder: str = "researcher") -> Path:
    """The eleven-interview study at ``path`` (transcripts written beside it)."""
    folder = path.parent / "transcripts"
    folder.mkdir(parents=True, exist_ok=True)
    store = ProjectStore.create(path, "Working alliance in mandated therapy", coder=coder)
    try:
        document_ids = []
        for label, role in zip(LABELS, ROLES, strict=True):
            source = folder / f"{label}-{role}-interview-transcript-final.txt"
            source.write_text(_transcript(label, role), encoding="utf-8")
            with store.transaction(coder) as tx:
                change = import_document(tx, read_document(source), label)
                document_ids.append(change.new_id("document"))
        with store.transaction(coder) as tx:
            code_ids = [codes.create_code(tx, name).new_id("code") for name in CODE_NAMES]
            for index, document_id in enumerate(document_ids):
                for offset, code_id in enumerate(code_ids):
                    line = 2 + ((index + offset) % 25) * 2
                    codings.code_lines(tx, document_id, code_id, line, line)
            final_id = themes.create_theme(tx, FINAL, level="final").new_id("theme")
            by_name = dict(zip(CODE_NAMES, code_ids, strict=True))
            for name, members in THEMES:
                theme_id = themes.create_theme(tx, name, parent_id=final_id).new_id("theme")
                for member in members:
                    themes.assign_code(tx, by_name[member], theme_id)
    finally:
        store.close()
    return path
