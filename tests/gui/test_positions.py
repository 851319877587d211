"""The one conversion between code points and the view's UTF-16 positions with soft breaks."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextDocument

from thematic_workbench.core.text.textlayout import canonical_text, compute_lines
from thematic_workbench.gui.positions import SOFT_BREAK, PositionMap

TRICKY = ("PA: 🙂 Naïve ideas, e\u0301 combining, 👍🏽 skin tone, 𝄞 music, "
          "Ελληνικά and 日本語 " + "word " * 25 + "\nInterviewer: ok 🧑‍🤝‍🧑 family")


def _view_slice(view_text: str, start: int, end: int) -> str:
    """What Qt shows between two UTF-16 positions, as QTextCursor would select it."""
    document = QTextDocument(view_text)
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def test_round_trip_with_emoji_and_combining_characters() -> None:
    text = canonical_text(TRICKY)
    mapping = PositionMap(text, compute_lines(text, 30))
    assert mapping.breaks, "the long paragraph must wrap into soft-broken lines"
    for cp in range(len(text) + 1):
        assert mapping.to_code_point(mapping.to_view(cp)) == cp
    for start, end in ((4, 5), (text.index("Naïve"), text.index(",")),
                       (text.index("👍🏽"), text.index("👍🏽") + 2), (0, len(text))):
        view_start, view_end = mapping.span_to_view(start, end)
        shown = _view_slice(mapping.display_text, view_start, view_end)
        # Qt reports a paragraph break in a selection as U+2029.
        assert shown.replace(SOFT_BREAK, "").replace("\u2029", "\n") == text[start:end]


def test_a_position_inside_a_surrogate_pair_rounds_to_the_next_character() -> None:
    text = "a🙂b"
    mapping = PositionMap(text)
    assert [mapping.to_view(cp) for cp in range(4)] == [0, 1, 3, 4]
    assert mapping.to_code_point(2) == 2  # between the two halves of 🙂


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n🙂é\u0301👍🏽日")), min_size=1,
               max_size=200), st.integers(20, 40))
def test_every_span_shows_exactly_its_text(raw: str, wrap: int) -> None:
    text = canonical_text(unicodedata.normalize("NFC", raw))
    mapping = PositionMap(text, compute_lines(text, wrap))
    utf16 = mapping.display_text.encode("utf-16-le")
    for start in range(0, len(text), 3):
        for end in range(start + 1, min(len(text), start + 9) + 1):
            a, b = mapping.span_to_view(start, end)
            shown = utf16[2 * a: 2 * b].decode("utf-16-le")
            assert shown.replace(SOFT_BREAK, "") == text[start:end]
            assert mapping.span_to_code_points(a, b) == (start, end)
