"""Hostile .qdpx files on the command line: an unknown XML encoding, sources outside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run
from tests.io.samples import zip_bytes
from tests.io.test_qdpx import project_qde


def test_import_project_says_it_in_one_line(tmp_path: Path, cli: Callable[..., Run]) -> None:
    path = tmp_path / "study.qdpx"
    qde = project_qde().replace('encoding="utf-8"', 'encoding="x-unknown"')
    path.write_bytes(zip_bytes({"project.qde": qde.encode()}))
    run = cli("import-project", str(path), str(tmp_path / "new.thematic"))
    assert run.code == 1
    assert run.err.strip().splitlines() == [
        "thematic-workbench: error: study.qdpx: its part project.qde declares the unknown "
        "encoding 'x-unknown'; save or export it again as UTF-8"]
    assert not (tmp_path / "new.thematic").exists()


def _shared_with_absolute(tmp_path: Path) -> tuple[Path, Path]:
    private = (tmp_path / "home" / "diary.txt")
    private.parent.mkdir()
    private.write_text("PA: my private diary\n", encoding="utf-8")
    source = (f'<TextSource guid="0B1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D01" name="Diary" '
              f'plainTextPath="absolute://{private.resolve().as_posix()}"/>')
    archive = tmp_path / "shared.qdpx"
    archive.write_bytes(zip_bytes({"project.qde": project_qde(source).encode()}))
    return archive, private.resolve()


def test_outside_files_need_the_flag(tmp_path: Path, cli: Callable[..., Run]) -> None:
    archive, private = _shared_with_absolute(tmp_path)
    target = tmp_path / "new.thematic"
    run = cli("import-project", str(archive), str(target))
    assert run.code == 1
    assert run.err.strip().splitlines() == [
        f"thematic-workbench: error: shared.qdpx: refers to 1 file outside the archive, and it "
        f"is read only when you allow it: {private} (source 'Diary'); nothing was imported; "
        "to read it, run again with --allow-outside-files"]
    assert not target.exists()


def test_the_flag_reads_them_and_lists_each(tmp_path: Path, cli: Callable[..., Run]) -> None:
    archive, private = _shared_with_absolute(tmp_path)
    target = tmp_path / "new.thematic"
    run = cli("import-project", str(archive), str(target), "--allow-outside-files")
    assert run.code == 0, run.err
    assert (f"note: source 'Diary': its text was read from {private}, outside the archive, "
            "as you allowed") in run.err.splitlines()
    documents = cli("documents", str(target), "--json")
    assert '"Diary"' in documents.out
