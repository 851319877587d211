"""The pseudonym key's CSV file (io/pseudonym_key.py): read as Excel and people write it,
written whole or not at all, and a bad file refused in one line naming it and the reason."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from thematic_workbench.core.errors import DocumentReadError, WorkbenchError
from thematic_workbench.core.records.pseudonyms import PseudonymEntry
from thematic_workbench.io.pseudonym_key import read_pseudonym_key, write_pseudonym_key

ENTRIES = [PseudonymEntry("John Carter", "Paul Reed", "person"),
           PseudonymEntry("Rampton Secure Hospital", "a secure hospital", "organisation"),
           PseudonymEntry("+44 7700 900456", "[phone]", "contact"),
           PseudonymEntry("Zoë Ó Súilleabháin", "Ann Lee", "person"),
           PseudonymEntry("12 March 2021", "[date], with a comma", "date")]


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_reads_utf8_with_or_without_bom_and_any_separator(tmp_path: Path, bom: bytes,
                                                          separator: str) -> None:
    path = tmp_path / "key.csv"
    rows = [["Kind", "Real ", "pseudonym", "note"], ["Person", " John Carter ", "Paul Reed", ""],
            ["", "", "", ""], ["place", "Leeds", "Northtown", "the city"]]
    path.write_bytes(bom + "\r\n".join(separator.join(row) for row in rows).encode())
    assert read_pseudonym_key(path) == [PseudonymEntry("John Carter", "Paul Reed", "person"),
                                        PseudonymEntry("Leeds", "Northtown", "place")]


def test_written_and_read_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "key.csv"
    assert write_pseudonym_key(path, ENTRIES) == len(ENTRIES)
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert raw.decode("utf-8-sig").splitlines()[0] == "real,pseudonym,kind"
    assert "'+44 7700 900456" in raw.decode("utf-8-sig")  # not a formula in a spreadsheet
    assert read_pseudonym_key(path) == ENTRIES
    assert [p.name for p in tmp_path.iterdir()] == ["key.csv"]  # no partial file left


def test_a_header_alone_is_an_empty_key(tmp_path: Path) -> None:
    path = tmp_path / "key.csv"
    path.write_text("real,pseudonym,kind\n", encoding="utf-8")
    assert read_pseudonym_key(path) == []


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "key.csv: is empty: a key's first row names the columns real, pseudonym, kind"),
    (b"real,pseudonym\nJohn,Paul\n", "key.csv: has no column kind: a key's first row names "
                                     "the columns real, pseudonym, kind"),
    (b"real,pseudonym,kind\nJohn,,person\n",
     "key.csv: line 2: the pseudonym for 'John' is blank; every real string needs one"),
    (b"real,pseudonym,kind\nJohn,  ,person\n",
     "key.csv: line 2: the pseudonym for 'John' is blank; every real string needs one"),
    (b"real,pseudonym,kind\nJohn,Paul,person\n,Ann,person\n",
     "key.csv: line 3: the real string is blank"),
    (b"real,pseudonym,kind\nJohn,Paul,name\n", "key.csv: line 2: the kind of 'John' 'name' "
     "is not one of them; a kind is one of person, place, organisation, date, contact, other"),
    (b"real,pseudonym,kind\nJohn,Paul,\n", "key.csv: line 2: the kind of 'John' is blank; a "
     "kind is one of person, place, organisation, date, contact, other"),
    (b"real,pseudonym,kind\nJohn,Paul,person\njohn,Mark,person\n",
     "key.csv: line 3: 'john' is already in the key (line 2)"),
    (b"real,pseudonym,kind\nZo\xeb,Ann,person\n",
     "key.csv: is not UTF-8 text (byte 23); save the key as CSV UTF-8"),
    ("real,pseudonym,kind\n".encode("utf-16"),
     "key.csv: is not a text file, so not a CSV key (UTF-16? save the key as CSV UTF-8)"),
    (b"PK\x03\x04rest", "key.csv: is not CSV text but a ZIP archive (an Excel workbook?); "
                        "save the key as CSV UTF-8"),
    (b'real,pseudonym,kind\n"John,Paul,person\n',
     "key.csv: is not valid CSV (line 2: unexpected end of data)"),
    (b'real,pseudonym,kind\nLeeds,Northtown,place\n"John\nCarter",,person\n',
     "key.csv: line 3: the pseudonym for 'John Carter' is blank; every real string needs one"),
])
def test_a_bad_file_is_refused_in_one_line(tmp_path: Path, content: bytes,
                                           reason: str) -> None:
    path = tmp_path / "key.csv"
    path.write_bytes(content)
    with pytest.raises(DocumentReadError) as refused:
        read_pseudonym_key(path)
    message = str(refused.value)
    assert message == reason


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentReadError, match=r"^absent\.csv: no such file$"):
        read_pseudonym_key(tmp_path / "absent.csv")


def test_writing_refuses_a_blank_pseudonym_and_leaves_the_old_key(tmp_path: Path) -> None:
    path = tmp_path / "key.csv"
    write_pseudonym_key(path, ENTRIES[:1])
    before = path.read_bytes()
    with pytest.raises(WorkbenchError, match=r"^key\.csv: the key was not written: entry 2: "
                                             r"the pseudonym for 'Leeds' is blank"):
        write_pseudonym_key(path, [ENTRIES[0], PseudonymEntry("Leeds", " ", "place")])
    assert path.read_bytes() == before


def test_a_word_list_is_one_string_a_line(tmp_path: Path) -> None:
    from thematic_workbench.io.pseudonym_key import read_word_list
    path = tmp_path / "words.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"# wards and nicknames\nBirch  Ward\n\n Shaz \n")
    assert read_word_list(path) == ["Birch Ward", "Shaz"]
    path.write_bytes("Shaz".encode("utf-16"))
    with pytest.raises(DocumentReadError, match=r"words\.txt.*not a text file"):
        read_word_list(path)
