"""Themes: the board of emerging and final themes, their ordered codes, and the map's links.

Names are unique (case-insensitively) among a level's non-discarded themes; only an emerging
theme has a parent, a final theme, so there are no cycles; codes in a theme are ordered
(Table 1's order) and a code may be in several themes, but not twice in one. Discarding a
theme (directly or by merging) only changes its status, keeping its codes and emerging themes
as history so restoring it is whole; readers such as Table 1 skip discarded themes and their
memberships, and treat an emerging theme under a discarded final theme as ungrouped.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.services.common import (
    clear_stale_position,
    delete_audited,
    get_or_fail,
    kept_guid,
    row_values,
    session_of,
    tidy_name,
    update_audited,
)
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.storage.models import (
    THEME_LEVELS,
    THEME_STATUSES,
    Code,
    Coding,
    Theme,
    ThemeLink,
    ThemeMembership,
)
from thematic_workbench.core.storage.transaction import Tx

_A_LEVEL = {"emerging": "an emerging theme", "final": "a final theme"}
MAX_LABEL = 200


def find_theme(tx_or_session: Tx | Session, name: str, level: str | None = None) -> Theme:
    """The non-discarded theme with this name (case-insensitive); names may repeat across
    levels, so give ``level`` when both an emerging and a final theme carry the name."""
    session = session_of(tx_or_session)
    query = select(Theme).where(Theme.status != "discarded")
    if level is not None:
        query = query.where(Theme.level == level)
    key = name_key(" ".join(name.split()))
    found = [t for t in session.execute(query).scalars() if name_key(t.name) == key]
    if not found:
        raise NotFoundError(f"no theme named '{name}'")
    if len(found) > 1:
        words = project_theme_words(session)
        raise InvariantError(f"both {_an(words.theme('emerging'))} and "
                             f"{_an(words.theme('final'))} are named '{name}'; "
                             "say which level you mean")
    return found[0]


def _theme(tx: Tx, theme_id: int) -> Theme:
    return get_or_fail(tx.session, Theme, theme_id, "theme")


def _live_theme(tx: Tx, theme_id: int) -> Theme:
    theme = _theme(tx, theme_id)
    if theme.status == "discarded":
        raise InvariantError(f"theme '{theme.name}' is discarded; set it back to candidate first")
    return theme


def _active_code(tx: Tx, code_id: int) -> Code:
    code = get_or_fail(tx.session, Code, code_id, "code")
    if code.status != "active":
        raise InvariantError(f"code '{code.name}' was merged into another code; use that one")
    return code


def _check_name_free(tx: Tx, name: str, level: str, except_id: int | None = None) -> None:
    rows = tx.session.execute(
        select(Theme.id, Theme.name).where(Theme.level == level, Theme.status != "discarded")
    ).all()
    for row in rows:
        if row.id != except_id and name_key(row.name) == name_key(name):
            raise InvariantError(f"{_A_LEVEL[level]} named '{row.name}' already exists")


def _board(tx: Tx | Session, level: str) -> list[Theme]:
    """The themes of one level as the board shows them (discarded ones are off the board)."""
    return list(session_of(tx).execute(
        select(Theme).where(Theme.level == level, Theme.status != "discarded")
        .order_by(Theme.position, Theme.id)
    ).scalars())


def _next_position(tx: Tx, level: str) -> int:
    board = _board(tx, level)
    return board[-1].position + 1 if board else 0


def _members(tx: Tx | Session, theme_id: int) -> list[ThemeMembership]:
    return list(session_of(tx).execute(
        select(ThemeMembership).where(ThemeMembership.theme_id == theme_id)
        .order_by(ThemeMembership.position, ThemeMembership.code_id)
    ).scalars())


def member_count(tx_or_session: Tx | Session, theme_id: int) -> int:
    """How many codes a theme holds."""
    return len(_members(tx_or_session, theme_id))


def code_position(tx_or_session: Tx | Session, theme_id: int, code_id: int) -> int | None:
    """A code's stored position in a theme's order, or None when it is not in the theme."""
    return session_of(tx_or_session).execute(select(ThemeMembership.position).where(
        ThemeMembership.code_id == code_id, ThemeMembership.theme_id == theme_id)).scalar()


def _place(tx: Tx, theme: Theme) -> int | None:
    """A theme's place (0-based) on its level's board; None when it is off the board."""
    board = [t.id for t in _board(tx, theme.level)]
    return board.index(theme.id) if theme.id in board else None


def _renumber(rows: list[Any]) -> None:
    """Positions become 0, 1, 2... in list order, closing any gaps."""
    for index, row in enumerate(rows):
        row.position = index


def _check_position(position: int, count: int, what: str) -> None:
    if not 0 <= position <= count:
        raise InvariantError(f"{what} must be between 0 and {count}, not {position}")


def _an(phrase: str) -> str:
    """"an emerging theme", "a final theme": the article a level's words take."""
    return f"{'an' if phrase[:1] in 'aeiou' else 'a'} {phrase}"


def _check_parent(tx: Tx, level: str, name: str, theme_id: int | None,
                  parent_id: int | None) -> None:
    if parent_id is None:
        return
    words = project_theme_words(tx)
    lower, upper = words.theme("emerging"), words.theme("final")
    if level != "emerging":
        raise InvariantError(f"'{name}' is {_an(upper)}; only {_an(lower)} can be "
                             f"grouped under {_an(upper)}")
    parent = _live_theme(tx, parent_id)
    if parent.level != "final":
        raise InvariantError(f"'{parent.name}' is {_an(lower)}; {_an(lower)} can "
                             f"only be grouped under {_an(upper)}")
    seen = {theme_id}
    node: Theme | None = parent
    while node is not None:  # defensive: the level rule already makes a cycle impossible
        if node.id in seen:
            raise InvariantError(f"grouping '{name}' under '{parent.name}' would make a loop")
        seen.add(node.id)
        node = tx.session.get(Theme, node.parent_id) if node.parent_id is not None else None


def _update(tx: Tx, theme: Theme, action: str, **values: Any) -> Change:
    return update_audited(tx, theme, Kind.THEME, action, **values)


def create_theme(tx: Tx, name: str, level: str = "emerging", definition: str = "",
                 parent_id: int | None = None, guid: str | None = None) -> Change:
    """A new candidate theme, placed at the end of its level's board (``guid`` as for
    ``create_code``)."""
    if level not in THEME_LEVELS:
        raise InvariantError(f"a theme's level is 'emerging' or 'final', not {level!r}")
    name = tidy_name(name, "theme")
    _check_name_free(tx, name, level)
    _check_parent(tx, level, name, None, parent_id)
    theme = Theme(name=name, level=level, definition=definition.strip(), status="candidate",
                  parent_id=parent_id, position=_next_position(tx, level),
                  guid=kept_guid(tx, Theme, guid))
    tx.session.add(theme)
    tx.session.flush()
    clear_stale_position(tx, "theme", theme.id)
    tx.audit("theme.create", "theme", theme.id, after=row_values(theme))
    change = Change().add(Kind.THEME, theme.id)
    return change.change(Kind.THEME, parent_id) if parent_id is not None else change


def rename_theme(tx: Tx, theme_id: int, new_name: str, seen: str | None = None) -> Change:
    """Rename a theme; ``seen``, the name the coder saw, catches a rename made meanwhile."""
    theme = _theme(tx, theme_id)
    new_name = tidy_name(new_name, "theme")
    if theme.status != "discarded":
        _check_name_free(tx, new_name, theme.level, except_id=theme.id)
    return update_audited(tx, theme, Kind.THEME, "theme.rename",
                          None if seen is None else {"name": seen}, name=new_name)


def define_theme(tx: Tx, theme_id: int, definition: str,
                 scope_notes: str | None = None, seen: str | None = None) -> Change:
    """Set the definition, and the scope notes unless ``scope_notes`` is None; ``seen`` is
    the definition the coder saw."""
    values = {"definition": definition.strip()}
    if scope_notes is not None:
        values["scope_notes"] = scope_notes.strip()
    return update_audited(tx, _theme(tx, theme_id), Kind.THEME, "theme.define",
                          None if seen is None else {"definition": seen}, **values)


def set_central_concept(tx: Tx, theme_id: int, concept: str,
                        seen: str | None = None) -> Change:
    """Set the central organising concept the theme is built around (Braun and Clarke);
    ``seen`` is the concept the coder saw."""
    return update_audited(tx, _theme(tx, theme_id), Kind.THEME, "theme.concept",
                          None if seen is None else {"central_concept": seen},
                          central_concept=concept.strip())


def set_theme_parent(tx: Tx, theme_id: int, parent_id: int | None) -> Change:
    """Group an emerging theme under a final theme, or ungroup it (``parent_id=None``)."""
    theme = _theme(tx, theme_id)
    _check_parent(tx, theme.level, theme.name, theme.id, parent_id)
    old_parent = theme.parent_id
    change = _update(tx, theme, "theme.set_parent", parent_id=parent_id)
    for affected in (old_parent, parent_id):
        if affected is not None and not change.empty:
            change.change(Kind.THEME, affected)
    return change


def reorder_theme(tx: Tx, theme_id: int, new_position: int) -> Change:
    """Move a theme to ``new_position`` (0-based) on its level's board."""
    theme = _live_theme(tx, theme_id)
    board = _board(tx, theme.level)
    _check_position(new_position, len(board) - 1, "the new place on the board")
    old_position = board.index(theme)
    if old_position == new_position:
        return Change()
    board.insert(new_position, board.pop(old_position))
    _renumber(board)
    tx.session.flush()
    tx.audit("theme.reorder", "theme", theme.id, before={"position": old_position},
             after={"position": new_position})
    low, high = sorted((old_position, new_position))
    change = Change(changed={Kind.THEME: [row.id for row in board[low:high + 1]]})
    return change.keep_before(Kind.THEME, theme.id, {"place": old_position})


def _set_status(tx: Tx, theme: Theme, status: str, action: str) -> Change:
    if status not in THEME_STATUSES:
        raise InvariantError(f"a theme's status is one of {', '.join(THEME_STATUSES)}, "
                             f"not {status!r}")
    if status == theme.status:
        return Change()
    values: dict[str, Any] = {"status": status}
    if theme.status == "discarded":  # back on the board: at its end, under a free name
        _check_name_free(tx, theme.name, theme.level, except_id=theme.id)
        values["position"] = _next_position(tx, theme.level)
    return _update(tx, theme, action, **values)


def set_theme_status(tx: Tx, theme_id: int, status: str) -> Change:
    """Candidate, final or discarded; leaving 'discarded' puts the theme back on the board."""
    return _set_status(tx, _theme(tx, theme_id), status, "theme.status")


def discard_theme(tx: Tx, theme_id: int) -> Change:
    """Take a theme off the board, keeping its codes and emerging themes as history.

    The change keeps the theme's status and its place on the board before, for undo.
    """
    theme = _theme(tx, theme_id)
    before = {"status": theme.status, "place": _place(tx, theme)}
    change = _set_status(tx, theme, "discarded", "theme.discard")
    if change.empty:
        return change
    return Change().keep_before(Kind.THEME, theme.id, before).merge(change)


def delete_theme(tx: Tx, theme_id: int) -> Change:
    """Delete a theme; its memberships, links and children's grouping go into the audit,
    and into the change's values before, from which ``restore_theme`` brings it back."""
    theme = _theme(tx, theme_id)
    members = _members(tx, theme.id)
    children = list(tx.session.execute(select(Theme).where(Theme.parent_id == theme.id))
                    .scalars())
    links = list(tx.session.execute(select(ThemeLink).where(
        or_(ThemeLink.source_theme_id == theme.id, ThemeLink.target_theme_id == theme.id)
    )).scalars())
    before = row_values(theme) | {"memberships": [[m.code_id, m.position] for m in members],
                                  "children": [child.id for child in children],
                                  "links": [row_values(link) for link in links]}
    change = Change().remove(Kind.THEME, theme.id)
    for member in members:
        tx.session.delete(member)
        change.change(Kind.CODE, member.code_id)
    for child in children:
        child.parent_id = None
        change.change(Kind.THEME, child.id)
    for link in links:
        tx.session.delete(link)
        change.remove(Kind.THEME_LINK, link.id)
    tx.session.flush()  # children and links first, then the theme itself
    tx.session.delete(theme)
    tx.session.flush()
    tx.audit("theme.delete", "theme", theme_id, before=before)
    return change.keep_before(Kind.THEME, theme_id, before)


def set_representative_extract(tx: Tx, theme_id: int, coding_id: int | None) -> Change:
    """Pick the extract that best shows the theme: a coding with one of its codes
    (or, for a final theme, a code of one of its emerging themes)."""
    theme = _theme(tx, theme_id)
    if coding_id is not None:
        coding = get_or_fail(tx.session, Coding, coding_id, "coded extract")
        in_theme = tx.session.execute(select(ThemeMembership.code_id).join(Theme).where(
            ThemeMembership.code_id == coding.code_id,
            or_(Theme.id == theme.id, (Theme.parent_id == theme.id) & (Theme.status != "discarded"))
        )).first()
        if in_theme is None:
            code_name = get_or_fail(tx.session, Code, coding.code_id, "code").name
            raise InvariantError(f"that extract is coded '{code_name}', which is not one of "
                                 f"the codes of theme '{theme.name}'")
    return _update(tx, theme, "theme.set_extract", representative_coding_id=coding_id)


def merge_themes(tx: Tx, source_id: int, target_id: int) -> Change:
    """Fold one theme into another of the same level: the source's codes are appended to the
    target in order, its emerging themes move to the target, and the source is discarded."""
    if source_id == target_id:
        raise InvariantError("a theme cannot be merged into itself")
    source, target = _live_theme(tx, source_id), _live_theme(tx, target_id)
    if source.level != target.level:
        raise InvariantError(f"'{source.name}' is {_A_LEVEL[source.level]} and '{target.name}' "
                             f"is {_A_LEVEL[target.level]}; only themes of the same level "
                             "can be merged")
    target_members = _members(tx, target.id)
    have = {m.code_id for m in target_members}
    added = [m.code_id for m in _members(tx, source.id) if m.code_id not in have]
    for code_id in added:
        target_members.append(ThemeMembership(theme_id=target.id, code_id=code_id))
        tx.session.add(target_members[-1])
    _renumber(target_members)
    children = list(tx.session.execute(select(Theme).where(Theme.parent_id == source.id))
                    .scalars())
    for child in children:
        child.parent_id = target.id
    moved = [c.id for c in children]
    before = {"status": source.status, "children": moved}
    place = _place(tx, source)
    source.status = "discarded"
    tx.session.flush()
    tx.audit("theme.merge", "theme", source.id, before=before,
             after={"status": "discarded", "merged_into": target.id,
                    "merged_into_name": target.name, "codes_added": added,
                    "children_moved": moved})
    change = Change(changed={Kind.THEME: [source.id, target.id, *moved], Kind.CODE: added})
    return change.keep_before(Kind.THEME, source.id, before | {"place": place})


def assign_code(tx: Tx, code_id: int, theme_id: int, position: int | None = None) -> Change:
    """Put a code into a theme at ``position`` (0-based; default: at the end)."""
    theme, code = _live_theme(tx, theme_id), _active_code(tx, code_id)
    members = _members(tx, theme.id)
    if any(m.code_id == code.id for m in members):
        raise InvariantError(f"code '{code.name}' is already in theme '{theme.name}'; "
                             "move it within the theme instead")
    position = len(members) if position is None else position
    _check_position(position, len(members), "the code's place in the theme")
    membership = ThemeMembership(theme_id=theme.id, code_id=code.id, position=position)
    tx.session.add(membership)
    members.insert(position, membership)
    _renumber(members)
    tx.session.flush()
    tx.audit("theme.assign_code", "theme", theme.id,
             after={"code_id": code.id, "code_name": code.name, "position": position})
    return Change().change(Kind.THEME, theme.id).change(Kind.CODE, code.id)


def _locate(tx: Tx, theme: Theme, code_id: int) -> tuple[list[ThemeMembership], int, Code]:
    """The theme's memberships in order, the code's index among them, and the code."""
    code = get_or_fail(tx.session, Code, code_id, "code")
    members = _members(tx, theme.id)
    for index, member in enumerate(members):
        if member.code_id == code_id:
            return members, index, code
    raise NotFoundError(f"code '{code.name}' is not in theme '{theme.name}'")


def unassign_code(tx: Tx, code_id: int, theme_id: int) -> Change:
    """Take a code out of a theme; the codes after it close the gap."""
    theme = _theme(tx, theme_id)
    members, position, code = _locate(tx, theme, code_id)
    tx.session.delete(members.pop(position))
    _renumber(members)
    tx.session.flush()
    tx.audit("theme.unassign_code", "theme", theme.id,
             before={"code_id": code_id, "code_name": code.name, "position": position})
    return Change().change(Kind.THEME, theme.id).change(Kind.CODE, code_id)


def move_code_in_theme(tx: Tx, theme_id: int, code_id: int, new_position: int) -> Change:
    """Change a code's place (0-based) in a theme's order, i.e. in Table 1."""
    theme = _theme(tx, theme_id)
    members, old_position, _code = _locate(tx, theme, code_id)
    _check_position(new_position, len(members) - 1, "the code's place in the theme")
    if old_position == new_position:
        return Change()
    members.insert(new_position, members.pop(old_position))
    _renumber(members)
    tx.session.flush()
    tx.audit("theme.move_code", "theme", theme.id,
             before={"code_id": code_id, "position": old_position},
             after={"code_id": code_id, "position": new_position})
    return Change().change(Kind.THEME, theme.id)


def link_themes(tx: Tx, source_theme_id: int, target_theme_id: int | None = None,
                target_code_id: int | None = None, label: str = "") -> Change:
    """Draw a labelled edge on the map from a theme to another theme or to a code."""
    if (target_theme_id is None) == (target_code_id is None):
        raise InvariantError("a link goes from a theme to exactly one other theme or one code")
    label = " ".join(label.split())
    if len(label) > MAX_LABEL:
        raise InvariantError(f"a link's label can have at most {MAX_LABEL} characters")
    source = _live_theme(tx, source_theme_id)
    if target_theme_id is not None:
        if target_theme_id == source.id:
            raise InvariantError(f"theme '{source.name}' cannot be linked to itself")
        target_name = _live_theme(tx, target_theme_id).name
    else:
        assert target_code_id is not None  # checked above: exactly one target
        target_name = _active_code(tx, target_code_id).name
    same_target = (ThemeLink.target_theme_id == target_theme_id if target_theme_id is not None
                   else ThemeLink.target_code_id == target_code_id)
    clash = tx.session.execute(select(ThemeLink.id).where(
        ThemeLink.source_theme_id == source.id, same_target)).first()
    if clash is not None:
        raise InvariantError(f"'{source.name}' is already linked to '{target_name}'")
    link = ThemeLink(source_theme_id=source.id, target_theme_id=target_theme_id,
                     target_code_id=target_code_id, label=label)
    tx.session.add(link)
    tx.session.flush()
    after = row_values(link) | {"source_name": source.name, "target_name": target_name}
    tx.audit("theme_link.create", "theme_link", link.id, after=after)
    return Change().add(Kind.THEME_LINK, link.id)


def delete_link(tx: Tx, link_id: int) -> Change:
    link = get_or_fail(tx.session, ThemeLink, link_id, "link")
    return delete_audited(tx, link, Kind.THEME_LINK, "theme_link.delete")
