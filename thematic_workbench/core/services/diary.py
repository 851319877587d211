"""The reflexive diary: dated entries, stamped with the phase and the coder, linked to codes,
themes and documents so the write-up can show how interpretations developed.

Links refer to their targets by kind and id (no foreign key), like the audit trail, so an
entry outlives a deleted code; :func:`list_entries` then shows the link without a label.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services.common import (
    delete_audited,
    get_or_fail,
    row_values,
    update_audited,
)
from thematic_workbench.core.services.phases import check_phase
from thematic_workbench.core.storage.models import (
    Code,
    Coder,
    DiaryEntry,
    DiaryLink,
    Document,
    Theme,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.timestamps import utc_now

LINK_TARGETS: dict[str, type[Code] | type[Theme] | type[Document]] = {
    "code": Code, "theme": Theme, "document": Document,
}
MAX_TITLE = 300


@dataclass(frozen=True)
class LinkView:
    kind: str
    id: int
    label: str | None  # None when the target has since been deleted


@dataclass(frozen=True)
class EntryView:
    id: int
    created_at: str
    updated_at: str
    phase: int
    coder: str
    title: str
    body: str
    links: tuple[LinkView, ...]
    in_appendix: bool = False  # chosen for the methods appendix


def _clean_links(tx: Tx, links: Iterable[tuple[str, int]],
                 known: Iterable[tuple[str, int]] = ()) -> list[tuple[str, int]]:
    """Links checked to point at something that exists, without repeats, in the given order.

    Links in ``known`` (those the entry already has) are kept unchecked: their target may
    have been deleted since, and changing an entry's other links must not refuse them.
    """
    cleaned: list[tuple[str, int]] = []
    kept = set(known)
    for kind, target_id in links:
        model = LINK_TARGETS.get(kind)
        if model is None:
            raise InvariantError(f"a diary entry can link to a code, a theme or a document, "
                                 f"not to {kind!r}")
        if (kind, target_id) not in kept:
            get_or_fail(tx.session, model, target_id, kind)
        if (kind, target_id) not in cleaned:
            cleaned.append((kind, target_id))
    return cleaned


def _body(body: str) -> str:
    """Markdown: keep indentation on the first line, drop blank lines around the text."""
    if not body.strip():
        raise InvariantError("a diary entry needs some text")
    return body.rstrip().lstrip("\n")


def _title(title: str) -> str:
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:
        raise InvariantError(f"a diary title can have at most {MAX_TITLE} characters")
    return title


def _link_list(entry: DiaryEntry) -> list[list[object]]:
    return [[link.target_kind, link.target_id] for link in entry.links]


def _entry(tx: Tx, entry_id: int) -> DiaryEntry:
    return get_or_fail(tx.session, DiaryEntry, entry_id, "diary entry")


def add_entry(tx: Tx, body: str, title: str = "",
              links: Iterable[tuple[str, int]] = ()) -> Change:
    """A new entry in the current phase, by the acting coder."""
    entry = DiaryEntry(phase=tx.phase, coder_id=tx.coder_id, title=_title(title),
                       body=_body(body))
    entry.links = [DiaryLink(target_kind=kind, target_id=target_id)
                   for kind, target_id in _clean_links(tx, links)]
    tx.session.add(entry)
    tx.session.flush()
    tx.audit("diary.add", "diary_entry", entry.id,
             after=row_values(entry) | {"links": _link_list(entry)})
    return Change().add(Kind.DIARY_ENTRY, entry.id)


def edit_entry(tx: Tx, entry_id: int, body: str | None = None,
               title: str | None = None) -> Change:
    """Change an entry's text and/or title; None leaves a value as it is.

    The change keeps the text and/or title it replaced, for undo.
    """
    entry = _entry(tx, entry_id)
    values: dict[str, str] = {}
    if body is not None and _body(body) != entry.body:
        values["body"] = _body(body)
    if title is not None and _title(title) != entry.title:
        values["title"] = _title(title)
    if not values:
        return Change()
    before = {key: getattr(entry, key) for key in values}
    for key, value in values.items():
        setattr(entry, key, value)
    entry.updated_at = utc_now()
    tx.session.flush()
    tx.audit("diary.edit", "diary_entry", entry.id, before=before,
             after=values | {"updated_at": entry.updated_at})
    return Change().change(Kind.DIARY_ENTRY, entry.id).keep_before(Kind.DIARY_ENTRY, entry.id,
                                                                   before)


def set_entry_links(tx: Tx, entry_id: int, links: Iterable[tuple[str, int]]) -> Change:
    """Replace what an entry links to; the change keeps the links it had before."""
    entry = _entry(tx, entry_id)
    wanted = _clean_links(tx, links, known=[(link.target_kind, link.target_id)
                                            for link in entry.links])
    before = _link_list(entry)
    if {tuple(pair) for pair in before} == set(wanted):
        return Change()
    for link in list(entry.links):  # keep links that stay, so no row is deleted and re-added
        if (link.target_kind, link.target_id) not in wanted:
            entry.links.remove(link)
    kept = {(link.target_kind, link.target_id) for link in entry.links}
    entry.links.extend(DiaryLink(target_kind=kind, target_id=target_id)
                       for kind, target_id in wanted if (kind, target_id) not in kept)
    entry.updated_at = utc_now()
    tx.session.flush()
    tx.audit("diary.links", "diary_entry", entry.id, before={"links": before},
             after={"links": _link_list(entry)})
    return Change().change(Kind.DIARY_ENTRY, entry.id).keep_before(Kind.DIARY_ENTRY, entry.id,
                                                                   {"links": before})


def include_in_appendix(tx: Tx, entry_id: int, included: bool) -> Change:
    """Choose an entry for the methods appendix, or take it out again."""
    return update_audited(tx, _entry(tx, entry_id), Kind.DIARY_ENTRY, "diary.appendix",
                          in_appendix=included)


def delete_entry(tx: Tx, entry_id: int) -> Change:
    entry = _entry(tx, entry_id)
    before = row_values(entry) | {"links": _link_list(entry)}
    return delete_audited(tx, entry, Kind.DIARY_ENTRY, "diary.delete", before)


def restore_entry(tx: Tx, before: dict[str, Any]) -> Change:
    """Put back a deleted entry as it was (the undo of a delete): its id while still free, its
    dates, phase, coder, text and links. ``before`` is what :func:`delete_entry` recorded.

    Links are restored even where their target has gone since: the entry had them.
    """
    coder_id = int(before["coder_id"])
    get_or_fail(tx.session, Coder, coder_id, "coder")
    links: list[tuple[str, int]] = []
    for kind, target_id in before.get("links", []):
        if kind not in LINK_TARGETS:
            raise InvariantError(f"a diary entry cannot link to {kind!r}")
        if (kind, int(target_id)) not in links:
            links.append((kind, int(target_id)))
    entry = DiaryEntry(phase=check_phase(int(before["phase"])).number, coder_id=coder_id,
                       title=_title(str(before.get("title", ""))),
                       body=_body(str(before["body"])))
    entry.created_at = str(before.get("created_at") or utc_now())
    entry.updated_at = str(before.get("updated_at") or entry.created_at)
    entry.in_appendix = bool(before.get("in_appendix", False))
    old_id = before.get("id")
    if isinstance(old_id, int) and tx.session.get(DiaryEntry, old_id) is None:
        entry.id = old_id  # the audit trail then tells one story for the entry
    entry.links = [DiaryLink(target_kind=kind, target_id=target_id) for kind, target_id in links]
    tx.session.add(entry)
    tx.session.flush()
    tx.audit("diary.restore", "diary_entry", entry.id,
             after=row_values(entry) | {"links": _link_list(entry), "replaces": old_id})
    return Change().add(Kind.DIARY_ENTRY, entry.id)


def link_targets(session: Session) -> list[LinkView]:
    """What an entry can link to: active codes, themes, documents, each sorted by name."""
    targets: list[LinkView] = []
    for kind, model in LINK_TARGETS.items():
        query = select(model.id, model.name).order_by(func.lower(model.name), model.id)
        if model is Code:
            query = query.where(Code.status == "active")
        targets.extend(LinkView(kind, target_id, name)
                       for target_id, name in session.execute(query))
    return targets


def _labels(session: Session, links: list[DiaryLink]) -> dict[tuple[str, int], str]:
    labels: dict[tuple[str, int], str] = {}
    for kind, model in LINK_TARGETS.items():
        ids = {link.target_id for link in links if link.target_kind == kind}
        if not ids:
            continue
        for target_id, label in session.execute(
            select(model.id, model.name).where(model.id.in_(ids))
        ):
            labels[(kind, target_id)] = label
    return labels


def list_entries(session: Session, phase: int | None = None,
                 search: str | None = None) -> list[EntryView]:
    """Entries oldest first, optionally of one phase and/or containing ``search`` (any case)
    in the title or the body."""
    query = (select(DiaryEntry, Coder.name).join(Coder, Coder.id == DiaryEntry.coder_id)
             .options(selectinload(DiaryEntry.links))
             .order_by(DiaryEntry.created_at, DiaryEntry.id))
    if phase is not None:
        query = query.where(DiaryEntry.phase == phase)
    rows = list(session.execute(query))
    if search and search.strip():
        needle = search.strip().casefold()
        rows = [row for row in rows
                if needle in row[0].title.casefold() or needle in row[0].body.casefold()]
    labels = _labels(session, [link for row in rows for link in row[0].links])
    return [
        EntryView(entry.id, entry.created_at, entry.updated_at, entry.phase, coder_name,
                  entry.title, entry.body,
                  tuple(LinkView(link.target_kind, link.target_id,
                                 labels.get((link.target_kind, link.target_id)))
                        for link in entry.links), entry.in_appendix)
        for entry, coder_name in rows
    ]
