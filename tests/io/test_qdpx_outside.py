"""A shared .qdpx pointing at local files outside it (``absolute://``, ``relative://`` that
climbs out of its folder): never read without leave, listed either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.io.test_qdpx import CRLF_TEXT, crlf_source, make_qdpx, project_qde
from thematic_workbench.io.refi.qdpx_archive import OutsideFilesError
from thematic_workbench.io.refi.qdpx_read import outside_files, read_qdpx


def _absolute(tmp_path: Path) -> tuple[Path, Path]:
    private = tmp_path / "home" / "diary.txt"
    private.parent.mkdir()
    private.write_bytes(CRLF_TEXT.encode())
    shared = tmp_path / "shared"
    shared.mkdir()
    qde = project_qde(crlf_source(f'plainTextPath="absolute://{private.as_posix()}"'))
    return make_qdpx(shared / "study.qdpx", qde), private


def test_an_absolute_source_is_refused_listing_it(tmp_path: Path) -> None:
    archive, private = _absolute(tmp_path)
    private = private.resolve()
    with pytest.raises(OutsideFilesError) as refused:
        read_qdpx(archive)
    assert str(refused.value) == (
        f"study.qdpx: refers to 1 file outside the archive, and it is read only when you "
        f"allow it: {private} (source 'Interview A'); nothing was imported")
    assert [found.path for found in outside_files(archive)] == [private]


def test_an_absolute_source_is_read_when_allowed(tmp_path: Path) -> None:
    archive, private = _absolute(tmp_path)
    private = private.resolve()
    project = read_qdpx(archive, allow_outside=True)
    assert project.sources[0].text.startswith("INTERVIEWER: How was it?")
    assert [(found.what, found.path) for found in project.outside_read] == [
        ("source 'Interview A'", private)]


def test_an_absolute_source_is_left_out_when_refused(tmp_path: Path) -> None:
    archive, private = _absolute(tmp_path)
    private = private.resolve()
    project = read_qdpx(archive, allow_outside=False)
    assert project.sources == () and project.outside_read == ()
    assert (f"source 'Interview A': its text {private} is outside the archive and was not "
            "read, as you chose; it was left out") in project.losses


def test_a_relative_path_climbing_out_is_outside(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_bytes(CRLF_TEXT.encode())
    (tmp_path / "shared").mkdir()
    qde = project_qde(crlf_source('plainTextPath="relative://../secret.txt"'))
    archive = make_qdpx(tmp_path / "shared" / "up.qdpx", qde)
    secret = (tmp_path / "secret.txt").resolve()
    assert [found.path for found in outside_files(archive)] == [secret]
    assert read_qdpx(archive, allow_outside=True).sources[0].name == "Interview A"


def test_a_base_path_elsewhere_is_outside(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_bytes(CRLF_TEXT.encode())
    (tmp_path / "shared").mkdir()
    qde = project_qde(crlf_source('plainTextPath="relative://secret.txt"'),
                      attrs=f'basePath="{tmp_path.as_posix()}"')
    archive = make_qdpx(tmp_path / "shared" / "base.qdpx", qde)
    secret = (tmp_path / "secret.txt").resolve()
    assert [found.path for found in outside_files(archive)] == [secret]


def test_text_beside_the_archive_and_inside_it_needs_no_leave(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_bytes(CRLF_TEXT.encode())
    beside = make_qdpx(tmp_path / "rel.qdpx",
                       project_qde(crlf_source('plainTextPath="relative://texts/a.txt"')))
    inside = make_qdpx(tmp_path / "in.qdpx", project_qde(crlf_source()),
                       {"sources/a.txt": CRLF_TEXT.encode()})
    for archive in (beside, inside):
        assert outside_files(archive) == ()
        assert len(read_qdpx(archive).sources) == 1
