"""The participant and attribute services, each with its inverse; the sheet query; importing
a table of attributes."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import imported
from thematic_workbench.core.errors import DocumentReadError, InvariantError
from thematic_workbench.core.queries.participant_sheet import participant_sheet
from thematic_workbench.core.services import participants as services
from thematic_workbench.core.services.attribute_table import (
    AttributeTable,
    TableRow,
    apply_attribute_table,
    inferred_type,
    plan_attribute_table,
    revert_attribute_table,
)
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.audit import latest_before
from thematic_workbench.core.storage.models import AuditEvent
from thematic_workbench.core.storage.store import ProjectStore


def _values(store: ProjectStore) -> dict[str, dict[str, str]]:
    with store.read() as session:
        sheet = participant_sheet(session)
    return {row.label: dict(row.values) for row in sheet.participants}


def _actions(store: ProjectStore) -> list[str]:
    with store.read() as session:
        return list(session.execute(select(AuditEvent.action).order_by(AuditEvent.seq))
                    .scalars())


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    """PA (with a transcript), PB and P10; years (number) and site (category)."""
    with store.transaction("alice") as tx:
        import_document(tx, imported("PA: hello there"), participant="PA")
        ids = {label: services.ensure_participant(tx, label)[0] for label in ("PA", "PB", "P10")}
        ids["years"] = services.define_attribute(tx, "years", "number").new_id("attribute")
        ids["site"] = services.define_attribute(
            tx, "site", "category", ["Hospital", "Probation"]).new_id("attribute")
        services.set_participant_attribute(tx, ids["PA"], "years", "12")
        services.set_participant_attribute(tx, ids["PB"], "years", "7")
        services.set_participant_attribute(tx, ids["PA"], "site", "hospital")
    return ids


def test_category_is_choice_and_values_take_its_spelling(store: ProjectStore,
                                                          study: dict[str, int]) -> None:
    with store.read() as session:
        sheet = participant_sheet(session)
    site = sheet.attribute("site")
    assert site is not None and site.type == "choice" and site.type_label == "category"
    assert site.choices == ("Hospital", "Probation")
    assert _values(store)["PA"]["site"] == "Hospital"
    with pytest.raises(InvariantError, match="give its values"), \
            store.transaction("alice") as tx:
        services.define_attribute(tx, "ward", "category", [])
    with pytest.raises(InvariantError, match="text, number, date, category"), \
            store.transaction("alice") as tx:
        services.define_attribute(tx, "ward", "colour")


def test_sheet_in_natural_order_with_documents(store: ProjectStore,
                                               study: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        services.create_participant(tx, "P2")
        import_document(tx, imported("Interviewer: hi", name="loose"))
    with store.read() as session:
        sheet = participant_sheet(session)
    assert [row.label for row in sheet.participants] == ["P2", "P10", "PA", "PB"]
    assert [d.name for d in sheet.participant("PA").documents] == ["PA-interview"]
    assert [d.name for d in sheet.unassigned] == ["loose"]
    assert [(a.name, a.values) for a in sheet.attributes] == [("years", 2), ("site", 1)]


def test_rename_attribute_and_back(store: ProjectStore, study: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        services.rename_attribute(tx, study["years"], "years in practice")
    assert _values(store)["PA"]["years in practice"] == "12"
    with pytest.raises(InvariantError, match="'site' already exists"), \
            store.transaction("alice") as tx:
        services.rename_attribute(tx, study["years"], "SITE")
    with store.transaction("alice") as tx:
        services.rename_attribute(tx, study["years"], "years")
    assert _values(store)["PA"] == {"years": "12", "site": "Hospital"}
    assert _actions(store).count("attribute.rename") == 2


def test_delete_attribute_keeps_values_for_restore(store: ProjectStore,
                                                   study: dict[str, int]) -> None:
    before = _values(store)
    with store.transaction("alice") as tx:
        change = services.delete_attribute(tx, study["years"])
    assert sorted(change.changed["participant"]) == sorted([study["PA"], study["PB"]])
    assert "years" not in _values(store)["PA"]
    with store.read() as session:
        recorded = latest_before(session, "attribute.delete", study["years"])
    assert sorted(value for _id, value in recorded["values"]) == ["12", "7"]
    with store.transaction("alice") as tx:
        restored = services.restore_attribute(tx, recorded)
    assert restored.new_id("attribute") == study["years"]  # its old id, free again
    assert _values(store) == before
    assert _actions(store)[-2:] == ["attribute.delete", "attribute.restore"]


def test_retype_names_the_participants_whose_values_do_not_fit(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        services.define_attribute(tx, "role", "text")
        services.set_participant_attribute(tx, study["PA"], "role", "nurse")
        services.set_participant_attribute(tx, study["PB"], "role", "psychologist")
        role = services.find_attribute(tx, "role").id
    with pytest.raises(InvariantError) as refused, store.transaction("alice") as tx:
        services.retype_attribute(tx, role, "number")
    assert str(refused.value) == ("'role' cannot become number: 2 values are not a number: "
                                  "PA ('nurse'), PB ('psychologist')")
    with pytest.raises(InvariantError, match=r"1 value is not one of nurse: PB"), \
            store.transaction("alice") as tx:
        services.retype_attribute(tx, role, "category", ["nurse"])
    with store.transaction("alice") as tx:
        services.retype_attribute(tx, role, "category", ["nurse", "psychologist"])
        services.retype_attribute(tx, study["site"], "category",
                                  ["Hospital", "Probation", "Prison"])
    with store.read() as session:
        sheet = participant_sheet(session)
    assert sheet.attribute("role").type == "choice"
    assert sheet.attribute("site").choices == ("Hospital", "Probation", "Prison")
    with store.transaction("alice") as tx:  # the inverse: the old type, values unchanged
        services.retype_attribute(tx, role, "text")
    assert _values(store)["PB"]["role"] == "psychologist"
    with store.read() as session:
        event = session.execute(select(AuditEvent).where(
            AuditEvent.action == "attribute.retype").order_by(AuditEvent.seq.desc())).scalar()
    assert json.loads(event.before_json)["type"] == "choice"
    assert json.loads(event.after_json)["type"] == "text"


def test_note_and_its_inverse(store: ProjectStore, study: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        services.set_participant_note(tx, study["PA"], "  interviewed twice ")
    with store.read() as session:
        assert participant_sheet(session).participant("PA").note == "interviewed twice"
    with store.transaction("alice") as tx:
        services.set_participant_note(tx, study["PA"], "")
    with store.read() as session:
        assert participant_sheet(session).participant("PA").note == ""
    assert _actions(store).count("participant.note") == 2


def test_delete_participant_and_restore_exactly(store: ProjectStore,
                                                study: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        services.set_participant_note(tx, study["PA"], "pilot")
    with store.read() as session:
        before = participant_sheet(session).participant("PA")
    with store.transaction("alice") as tx:
        change = services.delete_participant(tx, study["PA"])
    assert len(change.changed["document"]) == 1
    with store.read() as session:
        assert participant_sheet(session).participant("PA") is None
        recorded = latest_before(session, "participant.delete", study["PA"])
    with store.transaction("alice") as tx:
        services.restore_participant(tx, recorded)
    with store.read() as session:
        assert participant_sheet(session).participant("PA") == before
    assert _actions(store)[-1] == "participant.restore"


def test_inferred_types() -> None:
    assert inferred_type(["12", "7.5", "-3"]) == "number"
    assert inferred_type(["2024-01-31", "2023-12-01"]) == "date"
    assert inferred_type(["12", "twelve"]) == "text"
    assert inferred_type(["2024-1-3"]) == "text"
    assert inferred_type([]) == "text"


def _table(*rows: tuple[str, ...], header: tuple[str, ...] = ("years", "gender")
           ) -> AttributeTable:
    return AttributeTable("staff.csv", header, tuple(
        TableRow(number, row[0], tuple(v or None for v in row[1:]))
        for number, row in enumerate(rows, 2)))


def test_table_import_plans_applies_and_reverts(store: ProjectStore,
                                                study: dict[str, int]) -> None:
    before = _values(store)
    table = _table(("PA", "13", "female"), ("PB", "7", ""), ("P2", "3", "male"))
    with store.read() as session:
        plan = plan_attribute_table(session, table)
    assert plan.new_participants == ("P2",)
    assert [(a.name, a.type_label, a.new) for a in plan.attributes] == [
        ("years", "number", False), ("gender", "text", True)]
    assert [(v.label, v.attribute, v.before, v.after) for v in plan.values] == [
        ("PA", "years", "12", "13"), ("PA", "gender", None, "female"),
        ("P2", "years", None, "3"), ("P2", "gender", None, "male")]
    assert plan.unchanged == 1
    assert plan.summary() == ("staff.csv: 1 new participant, 1 new attribute, 3 values to set, "
                              "1 value to change")
    with store.transaction("alice") as tx:
        done = apply_attribute_table(tx, table)
    after = _values(store)
    assert after["PA"] == {"years": "13", "site": "Hospital", "gender": "female"}
    assert after["P2"] == {"years": "3", "gender": "male"}
    assert "P2: years = 3" in done.describe()
    assert "participant.import_table" in _actions(store)
    with store.read() as session:  # one audited step per participant's row
        event = session.execute(select(AuditEvent).where(
            AuditEvent.action == "participant.set_attributes",
            AuditEvent.entity_id == study["PA"])).scalar_one()
    assert json.loads(event.before_json) == {"years": "12", "gender": None}
    assert json.loads(event.after_json) == {"years": "13", "gender": "female"}
    with store.transaction("alice") as tx:
        revert_attribute_table(tx, done)
    assert _values(store) == before
    with store.read() as session:
        assert participant_sheet(session).attribute("gender") is None


@pytest.mark.parametrize(("rows", "header", "message"), [
    ((("PA", "ten", ""),), ("years", "gender"),
     "staff.csv: row 3, column 'years': 'years' is a number, not 'ten'"),
    ((("PA", "", "Prison"),), ("years", "Site"),
     "staff.csv: row 3, column 'site': 'site' is one of Hospital, Probation, not 'Prison'"),
    ((("PA", "1", ""), ("PA", "2", "")), ("years", "gender"),
     "staff.csv: row 4: participant 'PA' again (first in row 3)"),
    ((("", "1", ""),), ("years", "gender"),
     "staff.csv: row 3: values but no participant label in the first column"),
    ((("PA", "1", "x"),), ("years", "Years"),
     "staff.csv: row 1, column 'Years': the header names 'years' twice"),
])
def test_a_misfit_refuses_the_whole_table(store: ProjectStore, study: dict[str, int],
                                          rows: tuple[tuple[str, ...], ...],
                                          header: tuple[str, ...], message: str) -> None:
    before = _values(store)
    with pytest.raises(DocumentReadError) as refused, store.transaction("alice") as tx:
        apply_attribute_table(tx, _table(("PB", "8", ""), *rows, header=header))
    assert str(refused.value) == message
    assert _values(store) == before


def test_several_values_at_once_all_or_nothing(store: ProjectStore,
                                               study: dict[str, int]) -> None:
    with pytest.raises(InvariantError, match="'years' is a number"), \
            store.transaction("alice") as tx:
        services.set_participant_attributes(tx, study["PB"], {"site": "Probation",
                                                              "years": "many"})
    assert _values(store)["PB"] == {"years": "7"}
    with store.transaction("alice") as tx:
        change = services.set_participant_attributes(tx, study["PB"], {
            "SITE": "probation", "years": None})
    assert change.changed == {"participant": [study["PB"]]}
    assert _values(store)["PB"] == {"site": "Probation"}
