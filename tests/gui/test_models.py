"""The panels' item models: right shape and values, sound by qtmodeltester, fresh after edits."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSortFilterProxyModel, Qt
from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import imported
from thematic_workbench.core.changes import Change
from thematic_workbench.core.services import codes, codings, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.reading import mark_read
from thematic_workbench.gui.coding.codes_model import (
    CODE_ID_ROLE,
    CODE_MIME_TYPE,
    THEME_ID_ROLE,
    UNCATEGORISED,
    CodesModel,
)
from thematic_workbench.gui.documents.model import (
    DOCUMENT_ID_ROLE,
    NO_PARTICIPANT,
    READ_MARK,
    DocumentsModel,
)
from thematic_workbench.gui.review.extracts_model import SPAN_ROLE, ExtractsModel
from thematic_workbench.gui.session import ProjectSession


def _texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    """The names of the rows under ``parent`` (default: the top level)."""
    parent = parent if parent is not None else QModelIndex()
    return [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]


def test_documents_by_participant_with_coverage_and_opened(
        qtmodeltester: object, qtbot: QtBot, session: ProjectSession,
        frame: dict[str, int]) -> None:
    model = DocumentsModel(session)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert _texts(model) == ["PA", "PB", NO_PARTICIPANT]
    pa = model.index(0, 0)
    assert _texts(model, pa) == ["PA interview"]
    document = model.index(0, 0, pa)
    assert document.data(DOCUMENT_ID_ROLE) == frame["pa"]
    assert model.index(0, DocumentsModel.LINES, pa).data() == "5"  # line 2 wraps
    coded = model.index(0, DocumentsModel.CODED, pa).data()
    assert coded.endswith("%") and 0 < int(coded[:-1]) < 100

    session.run(mark_read, frame["pa"])  # the Read column shows the coder's reading marks
    assert model.index(0, DocumentsModel.READ, pa).data() == READ_MARK
    assert model.index(0, DocumentsModel.READ).data() == "1/1"
    assert model.index(1, DocumentsModel.READ).data() == ""

    session.run(codings.code_lines, frame["pb"], frame["sup"], 1, 3)  # the same shape
    qtbot.waitUntil(  # counts follow shortly after a burst of codings
        lambda: model.index(0, DocumentsModel.CODED, model.index(1, 0)).data() == "100%")
    session.run(import_document, imported("Hello.\nThere.", "PC interview"), "PC")  # new row
    assert _texts(model) == ["PA", "PB", "PC", NO_PARTICIPANT]
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_codes_tree_final_emerging_codes_then_uncategorised(
        qtmodeltester: object, qtbot: QtBot, session: ProjectSession,
        frame: dict[str, int]) -> None:
    model = CodesModel(session)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert _texts(model) == ["Looking after oneself", "Support", UNCATEGORISED]
    final = model.index(0, 0)
    assert final.data(THEME_ID_ROLE) == frame["final"]
    outlets = model.index(0, 0, final)
    assert outlets.data() == "Physical outlets"
    assert _texts(model, outlets) == ["Running", "Clearing my head"]
    running = model.index(0, 0, outlets)
    assert running.data(CODE_ID_ROLE) == frame["run"]
    assert running.data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(0, CodesModel.CODINGS, outlets).data() == "2"
    assert model.index(0, CodesModel.PARTICIPANTS, outlets).data() == "2"
    assert model.index(0, CodesModel.CODINGS).data() == "3"  # the final theme's reach
    assert _texts(model, model.index(2, 0)) == ["Unused"]
    assert "About running" in running.data(Qt.ItemDataRole.ToolTipRole)

    mime = model.mimeData([running])
    assert mime.data(CODE_MIME_TYPE).data() == str(frame["run"]).encode("ascii")
    assert model.mimeData([final]) is None
    assert model.flags(running) & Qt.ItemFlag.ItemIsDragEnabled
    assert not model.flags(final) & Qt.ItemFlag.ItemIsDragEnabled

    change = session.run(codings.code_lines, frame["pb"], frame["head"], 3, 3)  # counts only
    assert model.index(1, CodesModel.CODINGS, outlets).data() == "1"  # not recounted yet
    model.coding_batch.flush()
    assert model.index(1, CodesModel.CODINGS, outlets).data() == "2"
    assert model.index(0, CodesModel.CODINGS).data() == "4"
    session.run(codings.remove_coding, change.new_id("coding"))  # known from its audit event
    qtbot.waitUntil(lambda: model.index(1, CodesModel.PARTICIPANTS, outlets).data() == "0")
    assert model.index(0, CodesModel.CODINGS, final).data() == "3"

    session.run(codes.rename_code, frame["run"], "Going for a run")  # same shape
    assert model.index(0, 0, model.index(0, 0, model.index(0, 0))).data() == "Going for a run"
    session.run(codes.create_code, "Another")  # a new row
    assert _texts(model, model.index(2, 0)) == ["Another", "Unused"]
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_codes_filter_proxy_is_sound(qtmodeltester: object, session: ProjectSession,
                                     frame: dict[str, int]) -> None:
    model = CodesModel(session)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setRecursiveFilteringEnabled(True)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterFixedString("head")
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]
    assert _texts(proxy) == ["Looking after oneself"]
    session.run(codes.create_code, "Head space")
    assert _texts(proxy) == ["Looking after oneself", UNCATEGORISED]


def test_models_reload_only_for_their_kinds(qtbot: object, session: ProjectSession,
                                            frame: dict[str, int]) -> None:
    documents, frame_model = DocumentsModel(session), CodesModel(session)
    for model in (documents, frame_model):
        with qtbot.assertNotEmitted(model.modelReset), \
                qtbot.assertNotEmitted(model.dataChanged):  # type: ignore[attr-defined]
            session.changed.emit(Change().add("diary_entry", 1))


def test_extracts_of_a_code_and_of_a_theme(qtmodeltester: object, session: ProjectSession,
                                           frame: dict[str, int]) -> None:
    model = ExtractsModel(session)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 0
    model.show_code(frame["run"])
    assert model.rowCount() == 2 and model.participant_count() == 2
    first = model.row_values(0)
    assert (first.participant, first.citation, first.code) == ("PA", "PA, line 2", "Running")
    assert model.index(0, ExtractsModel.MEMO).data() == "a habit"
    assert model.index(0, ExtractsModel.EXTRACT).data() == "I go for a run"
    assert model.index(0, 0).data(SPAN_ROLE) == (frame["pa"], first.start, first.end)

    model.show_theme(frame["final"])  # its emerging theme's codes, by participant
    assert [model.row_values(r).citation for r in range(model.rowCount())] == [
        "PA, line 2", "PB, line 2", "Pilot, line 2"]
    assert model.shown is not None and model.shown.kind == "final theme"
    session.run(codings.code_lines, frame["pb"], frame["head"], 3, 3)
    assert model.rowCount() == 4
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    session.run(themes.delete_theme, frame["final"])
    assert model.shown is None and model.rowCount() == 0


def test_extracts_updated_in_place_match_a_full_reload(
        qtmodeltester: object, session: ProjectSession, frame: dict[str, int]) -> None:
    """Adding and removing codings updates rows in place, in the order a reload gives."""
    model = ExtractsModel(session)
    model.show_theme(frame["final"])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    added = session.run(codings.code_lines, frame["pa"], frame["head"], 1, 1)
    session.run(codings.code_lines, frame["pb"], frame["sup"], 1, 1)  # not in this theme
    in_place = [model.row_values(r) for r in range(model.rowCount())]
    session.run(codings.remove_coding, added.new_id("coding"))
    after_removal = [model.row_values(r).coding_id for r in range(model.rowCount())]
    assert resets == []  # no reload was needed
    model.refresh()
    reloaded = [model.row_values(r).coding_id for r in range(model.rowCount())]
    assert after_removal == reloaded
    assert len(in_place) == len(reloaded) + 1
    assert in_place[0].citation == "PA, line 1" and in_place[0].code == "Clearing my head"
    assert model.participant_count() == 2
