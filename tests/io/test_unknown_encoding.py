"""XML whose declaration names an encoding Python cannot decode: one line naming the file,
the part and the encoding, never "unexpected problem (LookupError…)"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.io.samples import docx_bytes, zip_bytes
from tests.io.test_qdpx import project_qde
from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.io.reader import read_document
from thematic_workbench.io.refi.qdc import read_qdc
from thematic_workbench.io.refi.qdpx_read import read_qdpx

UNKNOWN = '<?xml version="1.0" encoding="x-unknown"?>'


def _qde(encoding: str) -> bytes:
    return project_qde().replace('encoding="utf-8"', f'encoding="{encoding}"').encode()


@pytest.mark.parametrize(
    ("encoding", "words"),
    [("x-unknown", "the unknown encoding 'x-unknown'"),
     ("utf-32", "the encoding 'utf-32', which cannot be read here")],
)
def test_a_qdpx_names_the_part_and_encoding(tmp_path: Path, encoding: str, words: str) -> None:
    path = tmp_path / "study.qdpx"
    path.write_bytes(zip_bytes({"project.qde": _qde(encoding)}))
    with pytest.raises(DocumentReadError) as info:
        read_qdpx(path)
    assert str(info.value) == (f"study.qdpx: its part project.qde declares {words}; "
                               "save or export it again as UTF-8")


def test_a_qdc_names_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "codes.qdc"
    path.write_bytes(f'{UNKNOWN}<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'.encode())
    with pytest.raises(DocumentReadError) as info:
        read_qdc(path)
    assert str(info.value) == ("codes.qdc: the codebook declares the unknown encoding "
                               "'x-unknown'; save or export it again as UTF-8")


@pytest.mark.parametrize(
    ("name", "data", "part"),
    [("talk.docx", docx_bytes(f"{UNKNOWN}<w:document/>".encode()), "word/document.xml"),
     ("talk.odt", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text",
                             "content.xml": f"{UNKNOWN}<office:document-content/>".encode()}),
      "content.xml")],
)
def test_word_and_odt_name_the_part(tmp_path: Path, name: str, data: bytes, part: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentReadError) as info:
        read_document(path)
    assert str(info.value) == (f"{name}: its part {part} declares the unknown encoding "
                               "'x-unknown'; save or export it again as UTF-8")
