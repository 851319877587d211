"""Word forms: "risk" should find risks, risky and risking (Snowball stemmers).

Stemming is a property of the project's language (``project.language``, English unless the
researcher sets another), so search and word frequencies agree on which words are forms of
one another. Words reach the stemmer already folded (lower case, accents as the search index
treats them); stems are cached because transcripts repeat the same words endlessly.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache

import snowballstemmer
from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.storage.models import Project

DEFAULT_LANGUAGE = "english"
# "porter" is the older English algorithm and "dutch_porter" an alternative Dutch one: a
# researcher picks a language, not an algorithm.
LANGUAGES: tuple[str, ...] = tuple(
    name for name in snowballstemmer.algorithms() if name not in ("porter", "dutch_porter"))


def check_language(language: str) -> str:
    """The language's Snowball name, or an error listing the languages there are."""
    name = language.strip().casefold()
    if name not in LANGUAGES:
        raise InvariantError(f"no word forms for the language '{language}'; choose one of "
                             f"{', '.join(LANGUAGES)}")
    return name


@cache
def stem_function(language: str) -> Callable[[str], str]:
    """A cached stemmer for one language, taking a folded word."""
    stemmer = snowballstemmer.stemmer(check_language(language))
    return lru_cache(maxsize=200_000)(stemmer.stemWord)


def project_language(session: Session) -> str:
    """The project's language, for word forms and stop words."""
    language = session.execute(select(Project.language)).scalar_one_or_none()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE
