"""The map of themes as a figure: a journal column wide at 300 dpi, names kept as text in SVG,
the researcher's arrangement kept, written whole, never through pyplot; and `export map`."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from thematic_workbench.analysis.map_layouts import read_map
from thematic_workbench.app.exchange import ExportOptions, export
from thematic_workbench.cli import main
from thematic_workbench.core.queries.theme_board import Board, read_board
from thematic_workbench.core.reports.map_boxes import label_lines
from thematic_workbench.core.reports.theme_map import MapData
from thematic_workbench.core.services import themes
from thematic_workbench.core.services.map_layout import node_positions, place_nodes
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.map_figure import map_figure, render_map, write_map_figure
from thematic_workbench.io.theme_map_figure import theme_map_png

SVG = "{http://www.w3.org/2000/svg}"
COLUMN_PX = 17 / 2.54 * 300


def _png_header(data: bytes) -> tuple[int, int, int | None]:
    """Width and height from IHDR, and the pixels per metre of pHYs if present."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    at = data.find(b"pHYs")
    density = struct.unpack(">I", data[at + 4:at + 8])[0] if at > 0 else None
    return width, height, density


def _labels(svg: bytes) -> dict[str, tuple[str, float, float]]:
    """Each node's label, lines joined again, with its first line's x and font size."""
    found: dict[str, tuple[str, float, float]] = {}
    for group in ElementTree.fromstring(svg).iter(f"{SVG}g"):
        match = re.fullmatch(r"label-(\w+-\d+)-(\d+)", group.get("id", ""))
        text = group.find(f"{SVG}text")
        if match is None or text is None:
            continue
        size = float(re.search(r"font-size: ([\d.]+)px", text.get("style", "")).group(1))
        line = text.text or ""
        if match.group(1) in found:
            joined, x, size = found[match.group(1)]
            line = f"{joined} {line}"
        else:
            x = float(text.get("x", "nan"))
        found[match.group(1)] = (line, x, size)
    return found


def _words(svg: bytes) -> set[str]:
    return {label for label, _x, _size in _labels(svg).values()} | {
        text.text or "" for text in ElementTree.fromstring(svg).iter(f"{SVG}text")}


@pytest.fixture
def board(demo: ProjectStore) -> Board:
    with demo.read() as db:
        return read_board(db)


@pytest.fixture
def project(demo_file: Path, tmp_path: Path) -> Path:
    """A copy of the demo project to arrange and link."""
    copy = tmp_path / "copy.thematic"
    shutil.copyfile(demo_file, copy)
    return copy


def test_png_is_a_journal_column_wide_at_300_dpi(demo: ProjectStore, tmp_path: Path) -> None:
    with demo.read() as db:
        png = theme_map_png(*read_map(db, False, None))  # where the extracts report finds it
        write_map_figure(*read_map(db, True, None), tmp_path / "map.png")
    width, height, density = _png_header(png)
    assert abs(width - COLUMN_PX) <= 1 and 200 < height < width
    assert density is not None and abs(density - 300 / 0.0254) < 2
    width, tall, _density = _png_header((tmp_path / "map.png").read_bytes())
    assert abs(width - COLUMN_PX) <= 1 and tall > height  # the codes make it taller
    assert tall <= 22 / 2.54 * 300 + 1  # never deeper than a page


def test_svg_keeps_every_name_as_text_legibly(demo: ProjectStore, board: Board,
                                              tmp_path: Path) -> None:
    with demo.read() as db:
        write_map_figure(*read_map(db, True, None), tmp_path / "codes.svg")
        write_map_figure(*read_map(db, False, None), tmp_path / "themes.svg")
    names = [final.name for final in board.finals]
    names += [theme.name for group in board.emerging.values() for theme in group]
    codes = [code.name for group in board.emerging.values() for theme in group
             for code in theme.codes] + [code.name for code in board.miscellaneous]
    assert len(names) == 7 and len(codes) == 17
    labels = _labels((tmp_path / "codes.svg").read_bytes())
    assert sorted(label for label, _x, _size in labels.values()) == sorted(names + codes)
    assert min(size for _label, _x, size in labels.values()) >= 5.5  # points, at 17 cm
    themes_only = _words((tmp_path / "themes.svg").read_bytes())
    assert set(names) <= themes_only and not set(codes) & themes_only


def test_pdf_and_the_same_bytes_every_time(demo: ProjectStore, tmp_path: Path) -> None:
    with demo.read() as db:
        for name in ("a.pdf", "b.pdf", "a.png", "b.png", "a.svg", "b.svg"):
            write_map_figure(*read_map(db, True, None), tmp_path / name)
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    for suffix in ("pdf", "png", "svg"):
        assert (tmp_path / f"a.{suffix}").read_bytes() == (tmp_path / f"b.{suffix}").read_bytes()


def test_saved_positions_change_the_arrangement(project: Path, tmp_path: Path) -> None:
    with ProjectStore.open(project) as store:
        with store.read() as db:
            finals = [final.id for final in read_board(db).finals]
            write_map_figure(*read_map(db, False, None), tmp_path / "before.svg")
        labels = _labels((tmp_path / "before.svg").read_bytes())
        first, second = (labels[f"theme-{theme_id}"][1] for theme_id in finals)
        assert first < second  # board order, left to right
        with store.transaction("researcher") as tx:  # the researcher swaps them
            place_nodes(tx, {("theme", finals[0]): (900.0, 40.0),
                             ("theme", finals[1]): (100.0, 40.0)})
        with store.read() as db:
            assert len(node_positions(db)) == 2
            write_map_figure(*read_map(db, False, None), tmp_path / "after.svg")
    labels = _labels((tmp_path / "after.svg").read_bytes())
    first, second = (labels[f"theme-{theme_id}"][1] for theme_id in finals)
    assert first > second
    assert len(labels) == 7  # the emerging themes, never placed, where the hierarchy puts them


def test_links_and_cooccurrence_are_drawn(project: Path, tmp_path: Path) -> None:
    with ProjectStore.open(project) as store:
        with store.transaction("researcher") as tx:
            finals = [final.id for final in read_board(tx.session).finals]
            link = themes.link_themes(tx, finals[0], finals[1], label="flows into") \
                .new_id("theme_link")
        with store.read() as db:
            write_map_figure(*read_map(db, True, None), tmp_path / "plain.svg")
            write_map_figure(*read_map(db, True, "turn"), tmp_path / "turns.svg")
    plain, turns = ((tmp_path / name).read_text(encoding="utf-8")
                    for name in ("plain.svg", "turns.svg"))
    assert "flows into" in _words(plain.encode()) and f'id="link-{link}"' in plain
    assert "#4e79a7" not in plain and "#4e79a7" in turns  # the dashed co-occurrence lines


def test_an_empty_project_and_formats_it_cannot_write(store: ProjectStore,
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "figures"
    folder.mkdir()
    with store.read() as db:
        write_map_figure(*read_map(db, False, None), folder / "map.svg")
        with pytest.raises(ValueError, match=r"\.png, \.svg, \.pdf, not '\.gif'"):
            write_map_figure(*read_map(db, False, None), folder / "map.gif")
    assert "No themes on the board yet" in _words((folder / "map.svg").read_bytes())
    assert [p.name for p in folder.iterdir()] == ["map.svg"]  # nothing half-written
    with pytest.raises(ValueError, match="'jpeg'"):
        render_map(MapData((), ()), {}, io.BytesIO(), "jpeg")


def test_export_map_from_the_command_line(demo_file: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "map", str(demo_file), str(tmp_path / "map.png")]) == 0
    assert "wrote the map of themes" in capsys.readouterr().out
    assert abs(_png_header((tmp_path / "map.png").read_bytes())[0] - COLUMN_PX) <= 1
    assert main(["export", "map", str(demo_file), str(tmp_path / "map.svg"), "--codes"]) == 0
    assert "Naming the coercion" in _words((tmp_path / "map.svg").read_bytes())
    assert main(["export", "map", str(demo_file), str(tmp_path / "map.pdf")]) == 0
    assert (tmp_path / "map.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main(["export", "map", str(demo_file), str(tmp_path / "map.jpg")]) == 1
    assert ".png, .svg, .pdf" in capsys.readouterr().err
    assert not (tmp_path / "map.jpg").exists()


def test_export_says_what_it_drew(demo: ProjectStore, tmp_path: Path) -> None:
    result = export(demo, "map", tmp_path / "map.pdf", ExportOptions(map_codes=True))
    assert result.message.endswith("(with codes)")
    assert export(demo, "map", tmp_path / "map.png").message.endswith("(themes only)")


def test_the_figure_is_never_drawn_through_pyplot(demo_file: Path, tmp_path: Path) -> None:
    """In a fresh interpreter: another test in this run may have imported pyplot."""
    script = "\n".join((
        "import sys",
        "from thematic_workbench.core.storage.store import ProjectStore",
        "from thematic_workbench.analysis.map_layouts import read_map",
        "from thematic_workbench.io.map_figure import write_map_figure",
        "from thematic_workbench.io.theme_map_figure import theme_map_png",
        f"with ProjectStore.open({str(demo_file)!r}, readonly=True) as store, "
        "store.read() as db:",
        "    assert theme_map_png(*read_map(db, True, None))",
        "    for suffix in ('png', 'svg', 'pdf'):",
        "        figure = read_map(db, True, 'turn')",
        f"        write_map_figure(*figure, {str(tmp_path)!r} + '/m.' + suffix)",
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'",
    ))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pdf", "m.png", "m.svg"]


def test_text_as_outlines_takes_the_place_of_text_artists(demo: ProjectStore) -> None:
    with demo.read() as db:
        data, positions = read_map(db, include_codes=True)
    as_text = map_figure(data, positions)
    as_paths = map_figure(data, positions, text_as_paths=True)
    assert len(as_text.axes[0].texts) == sum(len(label_lines(node.level, node.label))
                                             for node in data.nodes)
    assert not as_paths.axes[0].texts
    assert as_paths.get_size_inches().tolist() == as_text.get_size_inches().tolist()


def test_names_the_font_lacks_are_drawn_not_fatal(store: ProjectStore, tmp_path: Path) -> None:
    """An emoji or a CJK character in a name (DejaVu Sans has neither) must not stop the
    map, the figure or the window that opens on it."""
    from thematic_workbench.core.services import codes

    with store.transaction("ana") as tx:
        final = themes.create_theme(tx, "Home 🌍 and 家", level="final").new_id("theme")
        emerging = themes.create_theme(tx, "Ties 中", parent_id=final).new_id("theme")
        themes.assign_code(tx, codes.create_code(tx, "Calls 📞 home").new_id("code"), emerging)
    with store.read() as session:
        for suffix in (".png", ".svg", ".pdf"):
            write_map_figure(*read_map(session, True, None), tmp_path / f"map{suffix}")
            assert (tmp_path / f"map{suffix}").stat().st_size > 0
