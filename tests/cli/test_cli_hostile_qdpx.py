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
