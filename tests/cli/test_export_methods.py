"""``export methods PROJECT OUT.docx`` as a user runs it: one line naming the file and how
many items are still to write, and a Word file holding what the project was told."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from docx import Document as open_document

from tests.cli.conftest import Run

Cli = Callable[..., Run]


def test_export_methods_names_the_file_and_what_is_left(tmp_path: Path, cli: Cli) -> None:
    project = str(tmp_path / "study.thematic")
    assert cli("new", project).code == 0
    for argv in (("design", project, "set", "approach=reflexive", "orientation=inductive",
                  "meaning=latent", "theoretical_assumptions=critical realist",
                  "research_question=How do therapists talk about trust?",
                  "positionality=I trained as a therapist."),
                 ("phase", project, "2", "--note", "familiar with all eleven"),
                 ("diary", project, "add", "Trust came up in my own supervision.",
                  "--title", "Kept", "--appendix"),
                 ("diary", project, "add", "Not for the appendix.", "--title", "Left out"),
                 ("theme", project, "add", "Holding the frame", "--level", "final",
                  "--definition", "Keeping sessions safe.", "--concept", "safety is made"),
                 ("coder", project, "Sue", "--role", "supervisor"),
                 ("signoff", project, "2", "--note", "codes hold", "--coder", "Sue")):
        run = cli(*argv)
        assert run.code == 0, (argv, run.err)
    out = tmp_path / "methods.docx"
    run = cli("export", "methods", project, str(out))
    assert run.code == 0, run.err
    # left: why reflexive TA fits, recruitment and data, the results' narrative
    assert run.out == f"wrote the methods appendix to {out} (3 items still to write)\n"
    document = open_document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert "Trust came up in my own supervision." in texts
    assert "Not for the appendix." not in texts
    assert "I trained as a therapist." in texts
    assert "Central organising concept: safety is made" in texts
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == 3
    as_json = cli("export", "methods", project, str(out), "--json")
    assert json.loads(as_json.out)["message"] == run.out.strip()


def test_export_methods_refuses_another_format(tmp_path: Path, cli: Cli) -> None:
    project = str(tmp_path / "study.thematic")
    assert cli("new", project).code == 0
    run = cli("export", "methods", project, str(tmp_path / "methods.pdf"))
    assert run.code == 1
    assert "the methods appendix can be written as .docx, not '.pdf'" in run.err
    assert not (tmp_path / "methods.pdf").exists()
