"""Roles on a team server, enforced by PostgreSQL itself rather than only by the window.

Each coder logs in as themselves. The project's owner (whoever made the project on the
server) gives each login one of four roles, which are PostgreSQL group roles of the
database, named after it:

- ``DB_reader``: may read everything, write nothing (a reader or an examiner);
- ``DB_coder`` (analysts and second coders): may code, theme, write notes, memos and
  diary entries, comment; may not sign off a phase, change anyone's role or the schema;
- ``DB_supervisor``: a coder who may also sign off phases.

The audit trail is append-only for everyone (triggers: the one update they allow is a
recorded redaction putting a tombstone in place of an event's payloads), and on a server
each event must name the login that wrote it: a coder cannot write in another coder's
name. The owner, who upgrades the schema and copies projects in, is the one exception.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from thematic_workbench.core.errors import ProjectError

READER, CODER, SUPERVISOR = "reader", "coder", "supervisor"
GROUP_OF_ROLE = {"reader": READER, "analyst": CODER, "second_coder": CODER,
                 "supervisor": SUPERVISOR}
# Tables a coder may not change: who has which role, and the phases' sign-offs (a
# supervisor's); the trail is guarded by its own triggers.
CODER_READ_ONLY = ("coder", "sign_off")
SUPERVISOR_WRITES = ("sign_off",)
# Only ever added to: the trail, its signed anchors, coders' public keys (signing a
# snapshot or a sign-off registers the signer's key), merge records and the trails they keep,
# and the record of payloads erased.
INSERT_ONLY = ("audit_event", "audit_anchor", "coder_key", "project_merge", "kept_event",
               "redaction")
# Trails whose payloads a coder may erase (pseudonymising the study): the column privilege
# lets the update through, the table's trigger then allows only a recorded redaction.
ERASABLE = ("audit_event", "kept_event")

IDENTITY_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_coder_is_login() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.coder <> session_user AND NOT EXISTS (
            SELECT 1 FROM pg_class c WHERE c.oid = TG_RELID
            AND pg_has_role(session_user, c.relowner, 'MEMBER')) THEN
        RAISE EXCEPTION 'the server records changes by % as %, not as %',
            session_user, session_user, NEW.coder USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$"""
IDENTITY_TRIGGER = ("CREATE TRIGGER audit_event_coder_is_login BEFORE INSERT ON audit_event "
                    "FOR EACH ROW EXECUTE FUNCTION audit_event_coder_is_login()")


@dataclass(frozen=True)
class LoginRights:
    """What the server lets the current login do in the project."""

    login: str
    owner: bool  # may upgrade the schema, give roles, write under any coder's name
    may_write: bool
    may_sign_off: bool


def group_role(database: str, group: str) -> str:
    """The name of a database's group role (PostgreSQL names are at most 63 bytes)."""
    suffix = f"_{group}"
    return database.encode("utf-8")[:63 - len(suffix)].decode("utf-8", "ignore") + suffix


def rights(connection: Connection) -> LoginRights:
    row = connection.execute(text(
        "SELECT session_user, "
        "pg_has_role(session_user, c.relowner, 'MEMBER'), "
        "has_table_privilege('coding', 'INSERT'), has_table_privilege('sign_off', 'INSERT') "
        "FROM pg_class c WHERE c.oid = 'audit_event'::regclass")).one()
    return LoginRights(str(row[0]), bool(row[1]), bool(row[2]), bool(row[3]))


def prepare_roles(connection: Connection, database: str) -> None:
    """The database's group roles, their privileges and the identity trigger (again and
    again: each run brings them up to date, e.g. for tables a newer version added)."""
    if not rights(connection).owner:
        raise ProjectError("only the project's owner on the server can give roles")
    existing = set(connection.execute(text("SELECT rolname FROM pg_roles")).scalars())
    groups = {group: group_role(database, group) for group in (READER, CODER, SUPERVISOR)}
    for name in groups.values():
        if name not in existing:
            connection.execute(text(f'CREATE ROLE "{name}" NOLOGIN'))
    reader, coder, supervisor = (f'"{groups[g]}"' for g in (READER, CODER, SUPERVISOR))
    tables = list(connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    statements = [
        f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO {reader}, {coder}, {supervisor}',
        f"GRANT USAGE ON SCHEMA public TO {reader}, {coder}, {supervisor}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}, {coder}, {supervisor}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {coder}, {supervisor}",
    ]
    for table in tables:
        if table == "alembic_version":
            continue
        rights_of_coders = "INSERT" if table in INSERT_ONLY else "INSERT, UPDATE, DELETE"
        if table not in CODER_READ_ONLY:
            statements.append(f'GRANT {rights_of_coders} ON "{table}" TO {coder}, {supervisor}')
        if table in ERASABLE:
            statements.append(f'GRANT UPDATE (before_json, after_json) ON "{table}" '
                              f"TO {coder}, {supervisor}")
        elif table in SUPERVISOR_WRITES:
            statements.append(f'GRANT INSERT, UPDATE, DELETE ON "{table}" TO {supervisor}')
    statements.append(IDENTITY_FUNCTION)
    for statement in statements:
        connection.execute(text(statement))
    installed = connection.execute(text(
        "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_event_coder_is_login'"
    )).scalar_one()
    if not installed:
        connection.execute(text(IDENTITY_TRIGGER))


def grant_role(connection: Connection, database: str, login: str, role: str) -> None:
    """Make ``login`` a member of the group of ``role`` (and of no other of this project)."""
    if role not in GROUP_OF_ROLE:
        raise ProjectError(f"a role on the server is one of {', '.join(GROUP_OF_ROLE)}, "
                           f"not {role!r}")
    if not rights(connection).owner:
        raise ProjectError("only the project's owner on the server can give roles")
    if not connection.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = :login"),
                              {"login": login}).scalar_one():
        raise ProjectError(f"the server has no login {login!r}: create it first "
                           f"(createuser --pwprompt {login})")
    prepare_roles(connection, database)
    chosen = group_role(database, GROUP_OF_ROLE[role])
    for group in (READER, CODER, SUPERVISOR):
        name = group_role(database, group)
        verb = "GRANT" if name == chosen else "REVOKE"
        joiner = "TO" if verb == "GRANT" else "FROM"
        connection.execute(text(f'{verb} "{name}" {joiner} "{login}"'))
