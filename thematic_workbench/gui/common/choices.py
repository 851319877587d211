"""A titled row of toggles, one of them on: how a view offers a few exclusive choices."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QToolButton, QWidget

QUIET = "color: #6B7280;"  # the grey of titles and hints beside the choices


def choices_row(parent: QWidget, title: str, choices: Sequence[tuple[str, str]],
             row: QHBoxLayout) -> QButtonGroup:
    """A titled row of toggles, one of which is on; each button's objectName is its key."""
    label = QLabel(title, parent)
    label.setStyleSheet(QUIET)
    row.addWidget(label)
    group = QButtonGroup(parent)
    group.setExclusive(True)
    for number, (key, text) in enumerate(choices):
        button = QToolButton(parent)
        button.setObjectName(key)
        button.setText(text)
        button.setCheckable(True)
        button.setChecked(number == 0)
        button.setAutoRaise(False)
        group.addButton(button, number)
        row.addWidget(button)
    row.addSpacing(18)
    return group
