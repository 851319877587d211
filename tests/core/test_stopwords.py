"""Stop word lists: one per language a project can be in, folded as the index folds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from thematic_workbench.core.finding.search import WORD_RE, fold
from thematic_workbench.core.finding.stopwords import (
    parse_stop_words,
    stop_word_languages,
    stop_words,
)
from thematic_workbench.core.finding.wordforms import LANGUAGES
from thematic_workbench.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("english", "german", "french", "spanish", "dutch", "italian", "portuguese",
            "swedish", "danish", "norwegian")


def test_each_required_language_has_a_list_named_as_the_project_names_it() -> None:
    assert set(REQUIRED) <= set(stop_word_languages())
    assert set(stop_word_languages()) <= set(LANGUAGES)  # a list no project can use is a typo
    for language in REQUIRED:
        words = stop_words(language)
        assert len(words) > 100, language
        assert all(word == fold(word) and WORD_RE.fullmatch(word) for word in words), language


@pytest.mark.parametrize(("language", "sentence", "kept"), [
    ("english", "Um, I don't think it's what they'd have wanted, yeah.", ["think", "wanted"]),
    ("french", "Euh, c'est que j'ai été là, où l'on était.", []),
    ("german", "Äh, für mich ist das nicht so, weil wir es wären.", []),
    ("spanish", "Pues él está aquí y también más.", []),
    ("italian", "Ehm, c'è l'idea dell'anno, perché è così.", ["idea", "anno"]),
    ("dutch", "Eh, ik heb 't niet gedaan, want zo'n ding is er nooit.", ["ding"]),
])
def test_function_words_fillers_and_contraction_pieces_all_go(
        language: str, sentence: str, kept: list[str]) -> None:
    """Only the content words of these sentences stay, however the rest is spelt."""
    words = WORD_RE.findall(fold(sentence))
    assert [word for word in words if word not in stop_words(language)] == kept


def test_english_leaves_out_true_fillers_but_keeps_words_that_can_be_content() -> None:
    english = stop_words("English")
    assert {"um", "uh", "erm", "mhm", "yeah", "okay", "the", "and", "don", "t"} <= english
    assert not {"like", "know", "mean", "think", "really", "risk", "trust"} & english


def test_a_language_without_a_list_leaves_nothing_out() -> None:
    assert stop_words("finnish") == frozenset()
    assert stop_words("../english") == frozenset()
    assert stop_words("") == frozenset()


def test_comments_and_apostrophes_in_a_list() -> None:
    words = parse_stop_words("# a comment: not words\nL'homme  Qu'il\n\n  # indented comment\nÉtÉ")
    assert words == {"l", "homme", "qu", "il", "ete"}


def test_the_lists_ship_in_the_wheel() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = project["tool"]["setuptools"]["package-data"]["thematic_workbench.resources"]
    assert "stopwords/*" in shipped
    assert resource_path("stopwords", "english.txt").is_file()
