"""The map of themes as a figure: size for a journal column, names kept as text, no pyplot."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from thematic_workbench.analysis.extracts_report import build_extracts_report
from thematic_workbench.core.store import ProjectStore
from thematic_workbench.core.theme_board import Board, read_board
from thematic_workbench.io.theme_map_figure import render_theme_map, theme_map_png

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def board(demo: ProjectStore) -> Board:
    with demo.read() as db:
        return read_board(db)


def _png_header(data: bytes) -> tuple[int, int, int | None]:
    """Width and height from IHDR, and the pixels per metre of pHYs if present."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    at = data.find(b"pHYs")
    density = struct.unpack(">I", data[at + 4:at + 8])[0] if at > 0 else None
    return width, height, density


def _svg_texts(data: bytes) -> set[str]:
    """Each text artist's lines joined again: a wrapped name reads as it was written."""
    root = ElementTree.fromstring(data)
    return {" ".join(t.text or "" for t in group.iter(f"{SVG}text"))
            for group in root.iter(f"{SVG}g") if group.get("id", "").startswith("text_")}


def test_png_is_a_journal_column_wide_at_300_dpi(board: Board) -> None:
    buffer = io.BytesIO()
    render_theme_map(board, buffer)
    width, height, density = _png_header(buffer.getvalue())
    assert abs(width - round(17 / 2.54 * 300)) <= 1
    assert 200 < height < width
    assert density is not None and abs(density - 300 / 0.0254) < 2


def test_svg_keeps_every_theme_name_as_text(board: Board) -> None:
    buffer = io.BytesIO()
    render_theme_map(board, buffer, fmt="svg", include_codes=True)
    texts = _svg_texts(buffer.getvalue())
    names = [final.name for final in board.finals]
    names += [theme.name for group in board.emerging.values() for theme in group]
    codes = [code.name for group in board.emerging.values() for theme in group
             for code in theme.codes]
    assert len(names) == 7 and len(codes) == 15
    for name in names + codes:
        assert name in texts
    plain = io.BytesIO()
    render_theme_map(board, plain, fmt="svg")
    assert not set(codes) & _svg_texts(plain.getvalue())


def test_codes_make_the_figure_taller_and_the_layout_is_deterministic(board: Board) -> None:
    first, again, with_codes = io.BytesIO(), io.BytesIO(), io.BytesIO()
    render_theme_map(board, first)
    render_theme_map(board, again)
    render_theme_map(board, with_codes, include_codes=True)
    assert first.getvalue() == again.getvalue()
    assert _png_header(with_codes.getvalue())[1] > _png_header(first.getvalue())[1]


def test_the_report_model_draws_the_same_map(demo: ProjectStore, board: Board) -> None:
    with demo.read() as db:
        report = build_extracts_report(db)
        from_session = theme_map_png(db)
    from_report, from_board = io.BytesIO(), io.BytesIO()
    render_theme_map(report, from_report)
    render_theme_map(board, from_board)
    assert from_report.getvalue() == from_board.getvalue() == from_session


def test_files_formats_and_an_empty_board(store: ProjectStore, tmp_path: Path) -> None:
    with store.read() as db:
        empty = read_board(db)
    folder = tmp_path / "figures"
    folder.mkdir()
    render_theme_map(empty, folder / "map.pdf", fmt="pdf")
    assert (folder / "map.pdf").read_bytes().startswith(b"%PDF")
    render_theme_map(empty, folder / "map.svg", fmt="svg")
    assert "No themes on the board yet" in _svg_texts((folder / "map.svg").read_bytes())
    with pytest.raises(ValueError, match="png, svg, pdf"):
        render_theme_map(empty, folder / "map.gif", fmt="gif")
    assert sorted(p.name for p in folder.iterdir()) == ["map.pdf", "map.svg"]


def test_pyplot_is_never_imported(demo_file: Path, tmp_path: Path) -> None:
    """In a fresh interpreter: another test in this run may have imported pyplot."""
    script = "\n".join((
        "import sys",
        "from thematic_workbench.core.store import ProjectStore",
        "from thematic_workbench.core.theme_board import read_board",
        "from thematic_workbench.io.theme_map_figure import render_theme_map, theme_map_png",
        f"with ProjectStore.open({str(demo_file)!r}, readonly=True) as store, "
        "store.read() as db:",
        "    assert theme_map_png(db, include_codes=True)",
        f"    render_theme_map(read_board(db), {str(tmp_path / 'm.svg')!r}, 'svg')",
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'",
    ))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m.svg").is_file()
