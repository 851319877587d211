"""Stop words: the function words and interview fillers a word count leaves out.

Each language a project can be in has its list as a plain text file under
``resources/stopwords/<language>.txt`` (our own lists; a researcher can read, and a
packager replace, them). The words are read as the search index reads text, so a list's
``don't`` or ``l'`` becomes the pieces the index makes of it, and folded the same way
(lower case, accents it ignores), so that a stop word matches however it was typed. A
language without a list has no stop words: nothing is left out rather than the wrong words.
"""

from __future__ import annotations

from functools import cache

from thematic_workbench.core.finding.search import WORD_RE, fold
from thematic_workbench.resources import resource_path

FOLDER = "stopwords"
COMMENT = "#"


def stop_word_languages() -> tuple[str, ...]:
    """The languages that have a stop word list, in alphabetical order."""
    return tuple(sorted(path.stem for path in resource_path(FOLDER).glob("*.txt")))


def parse_stop_words(text: str) -> frozenset[str]:
    """The folded words of a list: separated by spaces or lines, ``#`` lines are comments."""
    words: set[str] = set()
    for line in text.splitlines():
        if not line.lstrip().startswith(COMMENT):
            words.update(WORD_RE.findall(fold(line)))
    return frozenset(words)


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of a language (a Snowball name such as ``english``), folded; empty
    for a language without a list."""
    name = language.strip().casefold()
    if not name.isidentifier():  # never a path: "../x" is no language
        return frozenset()
    path = resource_path(FOLDER, f"{name}.txt")
    if not path.is_file():
        return frozenset()
    return parse_stop_words(path.read_text(encoding="utf-8"))
