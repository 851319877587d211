"""The Participants sheet: cells edited in place reach the database, every change undoes,
attributes are added and deleted, an import is previewed and then one undo step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import imported
from tests.gui.eleven_interviews import LABELS, ROLES, build_eleven
from tests.gui.window_helpers import open_window
from thematic_workbench.core.queries.participant_sheet import participant_sheet
from thematic_workbench.core.services import participants as services
from thematic_workbench.core.services.attribute_table import TablePlan
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.participants.view import ParticipantsView
from thematic_workbench.gui.session import ProjectSession


def _values(store: ProjectStore) -> dict[str, dict[str, str]]:
    with store.read() as session:
        return {row.label: dict(row.values)
                for row in participant_sheet(session).participants}


@pytest.fixture
def study(store: ProjectStore) -> ProjectStore:
    with store.transaction("alice") as tx:
        import_document(tx, imported("PA: hello there", name="PA-interview"), participant="PA")
        import_document(tx, imported("Interviewer: hi", name="P10-interview"))
        services.create_participant(tx, "P10")
        services.create_participant(tx, "P2")
        services.define_attribute(tx, "years", "number")
        services.define_attribute(tx, "site", "category", ["Hospital", "Probation"])
        services.define_attribute(tx, "interviewed", "date")
        services.set_participant_attribute(tx, services.find_participant(tx, "PA").id,
                                           "years", 12)
    return store


@pytest.fixture
def view(qtbot: QtBot, session: ProjectSession, study: ProjectStore) -> ParticipantsView:
    widget = ParticipantsView(session)
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    widget.show()
    return widget


def _cell(view: ParticipantsView, label: str, column: str) -> object:
    model = view.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == label)
    col = next(c for c in range(model.columnCount())
               if model.headerData(c, Qt.Orientation.Horizontal).split("\n")[0] == column)
    return model.index(row, col)


def _edit(qtbot: QtBot, view: ParticipantsView, label: str, column: str,
          fill: Callable[[QWidget], None]) -> None:
    """Open the cell's editor as a double-click does, fill it in, press Enter."""
    index = _cell(view, label, column)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editor = view.table.indexWidget(index)
    assert editor is not None
    fill(editor)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on Enter through a queued call
    view.follower.flush()


def test_rows_in_natural_order_with_transcripts(view: ParticipantsView,
                                                qtmodeltester: object) -> None:
    model = view.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["P2", "P10", "PA"]
    headers = [model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(model.columnCount())]
    assert headers == ["Participant", "years\nnumber", "site\ncategory", "interviewed\ndate",
                       "Transcripts"]
    assert _cell(view, "PA", "Transcripts").data() == "PA-interview"
    assert view.summary.text() == "3 participants · 3 attributes · 1 transcript without a " \
                                  "participant"
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_typed_editors_write_rows_and_undo_restores(qtbot: QtBot, view: ParticipantsView,
                                                    session: ProjectSession,
                                                    study: ProjectStore) -> None:
    def type_text(text: str) -> Callable[[QWidget], None]:
        def fill(editor: QWidget) -> None:
            assert isinstance(editor, QLineEdit)
            editor.selectAll()
            qtbot.keyClicks(editor, text)
        return fill

    def choose(text: str) -> Callable[[QWidget], None]:
        def fill(editor: QWidget) -> None:
            assert isinstance(editor, QComboBox)
            editor.setCurrentIndex(editor.findText(text))
        return fill

    def date(editor: QWidget) -> None:
        assert isinstance(editor, QDateEdit)
        editor.setDate(QDate(2024, 3, 1))

    _edit(qtbot, view, "PA", "years", type_text("13"))
    _edit(qtbot, view, "P2", "site", choose("Probation"))
    _edit(qtbot, view, "P2", "interviewed", date)
    assert _values(study)["PA"] == {"years": "13"}
    assert _values(study)["P2"] == {"site": "Probation", "interviewed": "2024-03-01"}
    assert _cell(view, "P2", "site").data() == "Probation"
    _edit(qtbot, view, "PA", "years", type_text("twelve"))  # letters are not typed in
    assert _values(study)["PA"] == {"years": "13"}
    _edit(qtbot, view, "P10", "Participant", type_text("P11"))
    assert "P11" in _values(study)
    for _ in range(4):
        session.undo_stack.undo()
    view.follower.flush()
    assert _values(study) == {"P2": {}, "P10": {}, "PA": {"years": "12"}}
    assert _cell(view, "PA", "years").data() == "12"


def test_a_refused_value_says_why(view: ParticipantsView, study: ProjectStore) -> None:
    view.table.setCurrentIndex(_cell(view, "PA", "Participant"))
    assert not view.model.setData(_cell(view, "PA", "Participant"), "P2")
    assert view.message.text() == "A participant labelled 'P2' already exists."
    assert view.session.undo_stack.count() == 0


def test_clear_with_delete_key_and_delete_participant(qtbot: QtBot, view: ParticipantsView,
                                                      session: ProjectSession,
                                                      study: ProjectStore) -> None:
    view.table.setFocus()
    view.table.setCurrentIndex(_cell(view, "PA", "years"))
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    view.follower.flush()
    assert _values(study)["PA"] == {}
    asked: list[str] = []
    view.confirm = lambda title, text: asked.append(text) or True  # type: ignore[method-assign]
    view.table.setCurrentIndex(_cell(view, "PA", "Participant"))
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    view.follower.flush()
    assert asked and asked[0].startswith("Delete participant PA?\n\n1 transcript will have "
                                         "no participant.")
    assert "PA" not in _values(study)
    session.undo_stack.undo()
    session.undo_stack.undo()
    view.follower.flush()
    assert _values(study)["PA"] == {"years": "12"}
    assert _cell(view, "PA", "Transcripts").data() == "PA-interview"


def test_add_retype_rename_and_delete_attribute(view: ParticipantsView,
                                                session: ProjectSession,
                                                study: ProjectStore) -> None:
    assert view.add_attribute("gender", "choice", ["female", "male"])
    view.follower.flush()
    view.model.setData(_cell(view, "PA", "gender"), "female")
    view.follower.flush()
    view.table.setCurrentIndex(_cell(view, "PA", "gender"))
    assert not view.retype_attribute("choice", ["male"])
    assert view.message.text() == ("'gender' cannot become category: 1 value is not one of "
                                   "male: PA ('female').")
    assert view.retype_attribute("text")
    assert view.rename_attribute("Gender identity")
    view.follower.flush()
    assert _values(study)["PA"] == {"years": "12", "Gender identity": "female"}
    asked: list[str] = []
    view.confirm = lambda title, text: asked.append(text) or True  # type: ignore[method-assign]
    view.table.setCurrentIndex(_cell(view, "PA", "Gender identity"))
    assert view.delete_attribute()
    view.follower.flush()
    assert asked[0] == ("Delete attribute Gender identity?\n\nThe value of 1 participant goes "
                        "with it.\n\nYou can undo this with Ctrl+Z.")
    assert _values(study)["PA"] == {"years": "12"}
    session.undo_stack.undo()  # the deletion: the attribute and its value come back
    view.follower.flush()
    assert _values(study)["PA"] == {"years": "12", "Gender identity": "female"}
    for _ in range(4):
        session.undo_stack.undo()
    view.follower.flush()
    with study.read() as s:
        assert participant_sheet(s).attribute("gender") is None


def test_assign_a_transcript(view: ParticipantsView, session: ProjectSession,
                             study: ProjectStore) -> None:
    view.table.setCurrentIndex(_cell(view, "P10", "Transcripts"))
    with study.read() as s:
        loose = participant_sheet(s).unassigned[0]
    assert view.assign_transcript(loose.id)
    view.follower.flush()
    assert _cell(view, "P10", "Transcripts").data() == "P10-interview"
    session.undo_stack.undo()
    view.follower.flush()
    assert _cell(view, "P10", "Transcripts").data() == ""


def test_import_shows_preview_then_one_undo_step(view: ParticipantsView,
                                                 session: ProjectSession, study: ProjectStore,
                                                 tmp_path: Path) -> None:
    table = tmp_path / "staff.csv"
    table.write_text("participant;years;profession\nPA;14;nurse\nP3;2;\n", encoding="utf-8")
    shown: list[TablePlan] = []
    view.preview_import = lambda plan: shown.append(plan) or False  # type: ignore[method-assign]
    assert not view.import_file(table)
    assert shown[0].summary() == ("staff.csv: 1 new participant, 1 new attribute, 2 values to "
                                  "set, 1 value to change")
    assert "P3" not in _values(study)
    view.preview_import = lambda plan: True  # type: ignore[method-assign]
    assert view.import_file(table)
    view.follower.flush()
    assert _values(study)["P3"] == {"years": "2"}
    assert _values(study)["PA"] == {"years": "14", "profession": "nurse"}
    assert _cell(view, "P3", "years").data() == "2"
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    view.follower.flush()
    assert "P3" not in _values(study) and _values(study)["PA"] == {"years": "12"}
    bad = tmp_path / "bad.csv"
    bad.write_text("participant,years\nPA,many\n", encoding="utf-8")
    assert not view.import_file(bad)
    assert view.message.text() == "bad.csv: row 2, column 'years': 'years' is a number, not " \
                                  "'many'."


def test_export_writes_the_sheet(view: ParticipantsView, tmp_path: Path) -> None:
    out = tmp_path / "attributes.csv"
    assert view.export_file(out)
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "participant,years,site,interviewed", "P2,,,", "P10,,,", "PA,12,,"]


def test_context_menu_offers_the_cell_actions(view: ParticipantsView) -> None:
    view.table.setCurrentIndex(_cell(view, "PA", "years"))
    view._keyboard_menu()
    texts = [action.text() for action in view._menu.actions() if action.text()]
    view._menu.close()
    assert texts[:4] == ["Clear value", "Rename participant", "Note on participant…",
                         "Assign transcript…"]
    assert "Remove PA-interview from PA" in texts
    assert {"Rename attribute…", "Type and values…", "Delete attribute…",
            "Import…", "Export…"} <= set(texts)


def _eleven_with_attributes(path: Path) -> Path:
    """The eleven-interview study, its participants given gender, profession and years."""
    build_eleven(path)
    with ProjectStore.open(path) as store, store.transaction("alice") as tx:
        services.define_attribute(tx, "gender", "category", ["female", "male", "non-binary"])
        services.define_attribute(tx, "profession", "text")
        services.define_attribute(tx, "years in practice", "number")
        for number, (label, role) in enumerate(zip(LABELS, ROLES, strict=True)):
            participant_id = services.find_participant(tx, label).id
            services.set_participant_attribute(tx, participant_id, "gender",
                                               ("female", "male", "non-binary")[number % 3])
            services.set_participant_attribute(tx, participant_id, "profession",
                                               role.replace("-", " ").capitalize())
            services.set_participant_attribute(tx, participant_id, "years in practice",
                                               3 + (number * 7) % 25)
    return path


def test_sheet_of_the_eleven_interviews(qtbot: QtBot, tmp_path: Path,
                                        screenshot: Callable[[QWidget, str], Path | None]
                                        ) -> None:
    store = ProjectStore.open(_eleven_with_attributes(tmp_path / "eleven.thematic"))
    try:
        session = ProjectSession(store, "alice")
        widget = ParticipantsView(session)
        qtbot.addWidget(widget)
        widget.resize(1366, 640)
        widget.show()
        widget.table.setCurrentIndex(widget.model.index(2, 2))
        QApplication.processEvents()
        assert widget.model.rowCount() == 11
        header = widget.table.horizontalHeader()
        for column in range(1, 4):  # no value is cut short
            widest_value = max(widget.table.fontMetrics().horizontalAdvance(
                str(widget.model.index(row, column).data())) for row in range(11))
            assert header.sectionSize(column) > widest_value
        screenshot(widget, "participants_sheet")
        session.undo_stack.clear()
    finally:
        store.close()


def test_participants_tab_in_the_window(qtbot: QtBot, settings: QSettings, tmp_path: Path,
                                        screenshot: Callable[[QWidget, str], Path | None]
                                        ) -> None:
    from thematic_workbench.gui.window.workspace import TAB_TITLES

    if "participants" not in TAB_TITLES:
        pytest.skip("the Participants tab is not wired into the workspace yet")
    window = open_window(qtbot, settings, _eleven_with_attributes(tmp_path / "eleven.thematic"),
                         "alice")
    window.resize(1366, 768)
    assert window.workspace is not None
    window.workspace.show_tab("participants")
    QApplication.processEvents()
    sheet = window.workspace.participants
    assert sheet.isVisible() and sheet.model.rowCount() == 11
    screenshot(window, "participants_in_window")
