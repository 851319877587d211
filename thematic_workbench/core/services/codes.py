"""Codes: create, rename, define, recolour, merge and delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.services.common import (
    check_colour,
    clear_stale_position,
    delete_audited,
    get_or_fail,
    kept_guid,
    row_values,
    session_of,
    tidy_name,
    update_audited,
)
from thematic_workbench.core.storage.models import (
    CODE_ORIGINS,
    Code,
    Coding,
    MapPosition,
    Theme,
    ThemeLink,
    ThemeMembership,
)
from thematic_workbench.core.storage.transaction import Tx

# A palette readable on white and distinct in print (Tableau 10, then softer tones).
PALETTE = (
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7",
    "#9C755F", "#BAB0AC", "#86BCB6", "#F1CE63", "#A0CBE8", "#FFBE7D", "#8CD17D", "#D4A6C8",
)


def _active_code(tx: Tx, code_id: int) -> Code:
    code = get_or_fail(tx.session, Code, code_id, "code")
    if code.status != "active":
        raise InvariantError(f"code '{code.name}' was merged into another code")
    return code


def _check_name_free(tx: Tx, name: str, except_id: int | None = None) -> None:
    clash = tx.session.execute(
        select(Code.id, Code.name).where(Code.name_key == name_key(name), Code.status == "active")
    ).first()
    if clash is not None and clash.id != except_id:
        raise InvariantError(f"a code named '{clash.name}' already exists")


def find_code(tx_or_session: Tx | Session, name: str) -> Code:
    """The active code with this name (case-insensitive)."""
    code = session_of(tx_or_session).execute(
        select(Code).where(Code.name_key == name_key(" ".join(name.split())),
                           Code.status == "active")
    ).scalar_one_or_none()
    if code is None:
        raise NotFoundError(f"no code named '{name}'")
    return code


def next_colour(tx: Tx) -> str:
    count = tx.session.execute(select(func.count()).select_from(Code)).scalar_one()
    return PALETTE[count % len(PALETTE)]


def create_code(
    tx: Tx,
    name: str,
    *,
    definition: str = "",
    colour: str | None = None,
    origin: str = "inductive",
    guid: str | None = None,
) -> Change:
    """A new active code. ``guid``: the identifier an exchange file named it by, kept
    unless this project holds it already."""
    name = tidy_name(name, "code")
    if origin not in CODE_ORIGINS:
        raise InvariantError(f"origin must be one of {', '.join(CODE_ORIGINS)}")
    _check_name_free(tx, name)
    code = Code(
        name=name, name_key=name_key(name), definition=definition.strip(),
        colour=check_colour(colour) if colour else next_colour(tx), origin=origin,
        created_by=tx.coder_id, guid=kept_guid(tx, Code, guid),
    )
    tx.session.add(code)
    tx.session.flush()
    clear_stale_position(tx, "code", code.id)
    tx.audit("code.create", "code", code.id, after=row_values(code, "name_key"))
    return Change().add(Kind.CODE, code.id)


def _update(tx: Tx, code_id: int, action: str, field: str, value: str,
            seen: str | None) -> Change:
    return update_audited(tx, _active_code(tx, code_id), Kind.CODE, action,
                          None if seen is None else {field: seen}, **{field: value})


def rename_code(tx: Tx, code_id: int, new_name: str, seen: str | None = None) -> Change:
    """Rename a code; ``seen``, the name the coder saw, catches a rename made meanwhile."""
    new_name = tidy_name(new_name, "code")
    _check_name_free(tx, new_name, except_id=code_id)
    change = _update(tx, code_id, "code.rename", "name", new_name, seen)
    _active_code(tx, code_id).name_key = name_key(new_name)
    return change


def define_code(tx: Tx, code_id: int, definition: str, seen: str | None = None) -> Change:
    return _update(tx, code_id, "code.define", "definition", definition.strip(), seen)


def recolour_code(tx: Tx, code_id: int, colour: str, seen: str | None = None) -> Change:
    return _update(tx, code_id, "code.recolour", "colour", check_colour(colour), seen)


def merge_codes(tx: Tx, source_ids: list[int], target_id: int) -> Change:
    """Move the codings of the sources into the target; the sources remain as history.

    A coding that would duplicate one the target already has on the same span is dropped.
    Theme memberships of the sources pass to the target where it is not already a member.
    """
    target = _active_code(tx, target_id)
    change = Change().change(Kind.CODE, target.id)
    for source_id in dict.fromkeys(source_ids):
        if source_id == target_id:
            raise InvariantError("a code cannot be merged into itself")
        source = _active_code(tx, source_id)
        codings = tx.session.execute(select(Coding).where(Coding.code_id == source.id)).scalars()
        moved = dropped = 0
        for coding in list(codings):
            duplicate = tx.session.execute(
                select(Coding.id).where(
                    Coding.code_id == target.id, Coding.document_id == coding.document_id,
                    Coding.coder_id == coding.coder_id, Coding.start == coding.start,
                    Coding.end == coding.end,
                )
            ).first()
            if duplicate:
                tx.session.delete(coding)
                change.remove(Kind.CODING, coding.id)
                dropped += 1
            else:
                coding.code_id = target.id
                change.change(Kind.CODING, coding.id)
                moved += 1
        target_themes = set(tx.session.execute(
            select(ThemeMembership.theme_id).where(ThemeMembership.code_id == target.id)
        ).scalars())
        for membership in list(tx.session.execute(
            select(ThemeMembership).where(ThemeMembership.code_id == source.id)
        ).scalars()):
            if membership.theme_id in target_themes:
                tx.session.delete(membership)
            else:
                membership.code_id = target.id
                target_themes.add(membership.theme_id)
            change.change(Kind.THEME, membership.theme_id)
        source.status = "merged"
        source.merged_into_id = target.id
        tx.session.flush()
        tx.audit("code.merge", "code", source.id,
                 before={"name": source.name, "status": "active"},
                 after={"merged_into": target.id, "merged_into_name": target.name,
                        "codings_moved": moved, "duplicate_codings_dropped": dropped})
        change.remove(Kind.CODE, source.id)
    return change


def delete_code(tx: Tx, code_id: int) -> Change:
    """Delete a code with its codings and theme memberships (the audit keeps what they were;
    so does the change, as the values :func:`restore_code` takes)."""
    code = _active_code(tx, code_id)
    codings = tx.session.execute(
        select(Coding.id, Coding.document_id, Coding.coder_id, Coding.start, Coding.end,
               Coding.memo).where(Coding.code_id == code.id)
    ).all()
    memberships = tx.session.execute(
        select(ThemeMembership.theme_id, ThemeMembership.position)
        .where(ThemeMembership.code_id == code.id)
    ).all()
    links = tx.session.execute(select(ThemeLink.source_theme_id, ThemeLink.label)
                               .where(ThemeLink.target_code_id == code.id)).all()
    place = tx.session.execute(select(MapPosition.x, MapPosition.y).where(
        MapPosition.node_kind == "code", MapPosition.node_id == code.id)).first()
    before = row_values(code, "name_key")
    before["codings"] = [list(row) for row in codings]
    before["memberships"] = [list(row) for row in memberships]
    before["links"] = [list(row) for row in links]  # the map's links to the code
    before["map_position"] = list(place) if place else None
    tx.session.execute(delete(ThemeLink).where(ThemeLink.target_code_id == code.id))
    clear_stale_position(tx, "code", code.id)
    tx.session.execute(delete(ThemeMembership).where(ThemeMembership.code_id == code.id))
    tx.session.execute(delete(Coding).where(Coding.code_id == code.id))
    tx.session.execute(update(Code).where(Code.merged_into_id == code.id)
                       .values(merged_into_id=None))
    change = delete_audited(tx, code, Kind.CODE, "code.delete", before)
    for row in codings:
        change.remove(Kind.CODING, row.id)
    for membership in memberships:
        change.change(Kind.THEME, membership.theme_id)
    return change


def restore_code(tx: Tx, before: dict[str, Any]) -> Change:
    """Re-create a deleted code with its codings and theme places (the undo of a delete).

    ``before`` is what :func:`delete_code` recorded in its audit event and kept in its
    change.
    """
    name = tidy_name(str(before["name"]), "code")
    _check_name_free(tx, name)
    code = Code(name=name, name_key=name_key(name), definition=before.get("definition", ""),
                colour=before.get("colour", PALETTE[0]), origin=before.get("origin", "inductive"),
                created_by=tx.coder_id, guid=kept_guid(tx, Code, before.get("guid")))
    tx.session.add(code)
    tx.session.flush()
    change = Change().add(Kind.CODE, code.id)
    for _old_id, document_id, coder_id, start, end, memo in before.get("codings", []):
        coding = Coding(document_id=document_id, code_id=code.id, coder_id=coder_id,
                        start=start, end=end, memo=memo)
        tx.session.add(coding)
        tx.session.flush()
        change.add(Kind.CODING, coding.id)
    for theme_id, position in before.get("memberships", []):
        if tx.session.get(Theme, theme_id) is None:
            continue  # the theme went too; its own undo brings it back
        tx.session.execute(update(ThemeMembership).where(
            ThemeMembership.theme_id == theme_id, ThemeMembership.position >= position)
            .values(position=ThemeMembership.position + 1))
        tx.session.add(ThemeMembership(theme_id=theme_id, code_id=code.id, position=position))
        change.change(Kind.THEME, theme_id)
    clear_stale_position(tx, "code", code.id)
    for source_theme_id, label in before.get("links", []):
        if tx.session.get(Theme, source_theme_id) is not None:
            tx.session.add(ThemeLink(source_theme_id=source_theme_id, target_code_id=code.id,
                                     label=label))
    if before.get("map_position"):
        x, y = before["map_position"]
        tx.session.add(MapPosition(node_kind="code", node_id=code.id, x=x, y=y))
    tx.session.flush()
    tx.audit("code.restore", "code", code.id, after=row_values(code, "name_key") | {
        "codings": len(before.get("codings", [])), "replaces": before.get("id")})
    return change
