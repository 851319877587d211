"""A deterministic synthetic corpus of interview transcripts written as .docx files.

Transcript ``i`` depends only on ``SEED`` and ``i``, so every run benchmarks the same
files. They are written once into ``.benchmarks/corpus/<version>/`` (ignored by git) and
reused by later sessions; change ``CORPUS_VERSION`` whenever the generator changes.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import docx

from tests.benchmarks.phrases import question, sentence
from thematic_workbench.core.text.textlayout import DEFAULT_WRAP, compute_lines

SEED = 20240917
TRANSCRIPTS = 200
TARGET_LINES = 1_500
CORPUS_VERSION = "v1"
CACHE_ROOT = Path(__file__).resolve().parents[2] / ".benchmarks" / "corpus"


@dataclass(frozen=True)
class Turn:
    """One speaker turn: its label and its paragraphs (the first one follows the label)."""

    speaker: str
    paragraphs: tuple[str, ...]


def participant_label(index: int) -> str:
    """``P001`` for the first transcript."""
    return f"P{index + 1:03d}"


def _wrapped_lines(text: str) -> int:
    """How many numbered lines a paragraph takes, wrapped as the importer wraps it."""
    return len(compute_lines(text, DEFAULT_WRAP))


def transcript_turns(index: int, target_lines: int = TARGET_LINES) -> list[Turn]:
    """Alternating interviewer and participant turns, about ``target_lines`` lines in all."""
    rng = random.Random(f"{SEED}-{index}")
    label = participant_label(index)
    turns: list[Turn] = []
    lines = 0
    while lines < target_lines:
        prompt = question(rng)
        turns.append(Turn("Interviewer", (prompt,)))
        answer = []
        for _ in range(rng.choices((1, 2, 3), weights=(6, 3, 1))[0]):
            answer.append(" ".join(sentence(rng) for _ in range(rng.randint(1, 7))))
        turns.append(Turn(label, tuple(answer)))
        lines += _wrapped_lines(f"Interviewer: {prompt}")
        lines += sum(_wrapped_lines(f"{label}: {text}") for text in answer)
    return turns


def write_transcript(path: Path, index: int, target_lines: int = TARGET_LINES) -> None:
    """One transcript as Word writes them: a title, a details table, bold speaker labels."""
    label = participant_label(index)
    rng = random.Random(f"{SEED}-meta-{index}")
    document = docx.Document()
    document.core_properties.title = f"Interview {label}"
    document.core_properties.author = "Benchmark generator"
    document.add_heading(f"Interview with {label}", level=1)
    table = document.add_table(rows=3, cols=2)
    details = (("Participant", label), ("Role", rng.choice(("Nurse", "Midwife", "HCA"))),
               ("Years in practice", str(rng.randint(1, 35))))
    for row, (key, value) in zip(table.rows, details, strict=True):
        row.cells[0].text, row.cells[1].text = key, value
    for turn in transcript_turns(index, target_lines):
        first, *rest = turn.paragraphs
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{turn.speaker}:").bold = True
        paragraph.add_run(f" {first}")
        for text in rest:
            document.add_paragraph(text)
    document.save(str(path))


def corpus_files(count: int = TRANSCRIPTS, root: Path = CACHE_ROOT,
                 target_lines: int = TARGET_LINES) -> list[Path]:
    """The corpus's .docx files, generated on first use and cached under ``root``."""
    folder = root / f"{CORPUS_VERSION}-seed{SEED}-n{count}-lines{target_lines}"
    names = [f"{participant_label(i)}.docx" for i in range(count)]
    if not (folder / "complete").exists():
        scratch = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        scratch.mkdir(parents=True, exist_ok=True)
        for index, name in enumerate(names):
            write_transcript(scratch / name, index, target_lines)
        (scratch / "complete").write_text("ok\n", encoding="utf-8")
        if folder.exists():  # a half-written folder from an interrupted run
            shutil.rmtree(folder)
        try:
            os.replace(scratch, folder)
        except OSError:  # another session finished first; its files are identical
            shutil.rmtree(scratch, ignore_errors=True)
    return [folder / name for name in names]
