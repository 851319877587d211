"""Every menu entry and toolbar button of the main window, with its shortcut."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from thematic_workbench.core.theme_words import ThemeWords

StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    key: str
    text: str
    shortcut: QKeySequence | StandardKey | str | None
    tip: str


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new", "&New project…", StandardKey.New, "Create a new, empty project"),
    ActionSpec("open", "&Open project…", StandardKey.Open, "Open a project file"),
    ActionSpec("open_team", "Open &team project…", "Ctrl+Shift+O",
               "Open a project on a PostgreSQL server that several coders use at once"),
    ActionSpec("import", "&Import transcripts…", "Ctrl+Shift+I",
               "Import Word, OpenDocument, RTF, PDF, text or caption files"),
    ActionSpec("import_codebook", "Import &codebook…", "Ctrl+Alt+I",
               "Add codes and themes from a REFI-QDA codebook (.qdc), CSV or Excel file"),
    ActionSpec("import_project", "Import REFI-QDA &project…", "Ctrl+Alt+P",
               "Make a new project from a .qdpx exported by NVivo, ATLAS.ti, MAXQDA or "
               "QualCoder"),
    ActionSpec("merge_project", "&Merge another project…", None,
               "Bring in what a copy of this study coded apart holds: codings, codes, "
               "themes, notes, diary entries, comments and sign-offs"),
    ActionSpec("deidentify", "&De-identify the study…", None,
               "Find names, places, dates and contacts in the transcripts, build a "
               "pseudonym key and replace them everywhere in the project"),
    ActionSpec("table1", "&Table 1: codes and themes…", "Ctrl+E",
               "Preview Table 1 (initial codes, emerging themes, final themes) and export it"),
    ActionSpec("export_extracts", "&Extracts report…", "Ctrl+Alt+E",
               "Each theme's definition, codes and extracts with [PA, lines] citations"),
    ActionSpec("export_codebook", "Code&book…", "Ctrl+Alt+B",
               "The codebook as Word, CSV, Excel or REFI-QDA (.qdc)"),
    ActionSpec("export_segments", "Coded &segments…", "Ctrl+Alt+S",
               "Every coding as a row (participant, lines, code, themes, words) for CSV, "
               "Excel or a Word table, filtered by code, theme, participant or attribute"),
    ActionSpec("export_map", "&Map of themes (figure)…", "Ctrl+Alt+G",
               "The map of themes as a PNG (300 dpi), SVG or PDF figure, as arranged"),
    ActionSpec("export_project", "REFI-QDA p&roject (.qdpx)…", "Ctrl+Alt+Q",
               "The whole project for NVivo, ATLAS.ti, MAXQDA or QualCoder"),
    ActionSpec("export_diary", "Reflective &diary (appendix)…", "Ctrl+Alt+D",
               "The reflective diary as a Word document"),
    ActionSpec("export_audit", "&Audit trail (appendix)…", "Ctrl+Alt+A",
               "The audit trail as a Word document or CSV"),
    ActionSpec("export_methods", "Met&hods appendix…", "Ctrl+Alt+H",
               "The design, the analysis as it moved, checklist, sign-offs, snapshots, "
               "themes and chosen diary entries, after RTARG's items, as a Word document"),
    ActionSpec("backup_now", "&Back up now", None,
               "Take a checked backup of the open project now, into the backup folder (the "
               "window also takes one on opening a project and every few minutes of work)"),
    ActionSpec("restore_backup", "Restore from bac&kup…", None,
               "List the backups of a project, even one whose file is gone, and restore one "
               "into a new project file"),
    ActionSpec("print_transcripts", "P&rint transcripts…", StandardKey.Print,
               "Print coded transcripts with line numbers, coding stripes and notes, for "
               "reading on paper"),
    ActionSpec("export_transcripts", "Transcripts as PD&F…", "Ctrl+Shift+P",
               "Coded transcripts as a PDF to annotate: line numbers, speakers, coding "
               "stripes with the codes' names, margin notes and memos"),
    ActionSpec("close", "&Close project", StandardKey.Close, "Close the project"),
    ActionSpec("quit", "&Quit", StandardKey.Quit, "Quit Thematic Workbench"),
    ActionSpec("undo", "&Undo", StandardKey.Undo, "Undo the last change"),
    ActionSpec("redo", "&Redo", StandardKey.Redo, "Redo the change undone last"),
    ActionSpec("find", "&Find in transcript…", StandardKey.Find,
               "Find words in the open transcript"),
    ActionSpec("find_project", "Find in &project…", "Ctrl+Shift+F",
               "Search every transcript of the project"),
    ActionSpec("preferences", "Pre&ferences…", "Ctrl+,",
               "The transcript font, keys 1-9, theme-level words and language, backups"),
    ActionSpec("apply_code", "&Apply code…", "Ctrl+K",
               "Code the selected text with an existing or a new code"),
    ActionSpec("new_code", "&New code from selection…", "Ctrl+Shift+K",
               "Name a new code and apply it to the selection"),
    ActionSpec("in_vivo", "&In-vivo code", "Ctrl+I",
               "Make a code named after the selected words and apply it"),
    ActionSpec("remove_coding", "&Remove coding", "Ctrl+Shift+Backspace",
               "Remove the coding under the cursor"),
    ActionSpec("memo", "Coding &memo…", "Ctrl+M", "Write a memo on the coding under the cursor"),
    ActionSpec("annotate", "Margin &note…", "Ctrl+Alt+M", "Attach a margin note to the selection"),
    ActionSpec("correct_text", "Correct the &text…", "F2",
               "Edit mode: correct the transcript's words (checked against the recording, or "
               "a name removed); codings and line numbers stay with their words"),
    ActionSpec("mark_read", "Mark transcript as &read", "Ctrl+Alt+R",
               "Record that you have read (or re-read) the open transcript: phase 1 counts it"),
    ActionSpec("number_keys", "Number &keys apply recent codes", None,
               "Keys 1-9 apply the codes shown under the transcript; untick to turn them off"),
    ActionSpec("recode", "Re&code coding…", "Ctrl+Alt+K",
               "Move the coding under the cursor to another code"),
    ActionSpec("autocode_speaker", "Code a &speaker's turns…", "Ctrl+Alt+U",
               "Code every turn of one speaker (the interviewer's prompts, say) in one step, "
               "after a preview"),
    ActionSpec("next_phase", "Move to &next phase…", "Ctrl+Alt+Right",
               "Move the project on to the next of the six phases, with a note"),
    ActionSpec("previous_phase", "Move &back a phase…", "Ctrl+Alt+Left",
               "Return to the previous phase, with a note: the analysis is recursive"),
    ActionSpec("new_theme", "New emerging &theme…", "Ctrl+Shift+T",
               "Add a candidate theme to the theme board"),
    ActionSpec("diary_entry", "New &diary entry", "Ctrl+Shift+D",
               "Write a reflective diary entry, stamped with the phase"),
    ActionSpec("snapshot", "Save &snapshot of the coding frame…", "Ctrl+Shift+S",
               "Keep the codes and themes as they are now, to compare later"),
    ActionSpec("study_design", "Study &design…", None,
               "The design sheet: which kind of thematic analysis, inductive or deductive, "
               "semantic or latent, assumptions, research question and positionality"),
    ActionSpec("project_language", "Project &language…", None,
               "The language of the transcripts: word forms in search, stop words in word "
               "frequencies"),
    ActionSpec("coders", "Coders and &roles…", None,
               "Who works on the project, and who is the supervisor"),
    ActionSpec("verify_audit", "&Verify audit trail", None,
               "Check the audit trail: recompute its hash chain and check the signed "
               "sign-offs and snapshots and this computer's record of closes"),
    ActionSpec("reading_layout", "&Reading layout", "Ctrl+Shift+R",
               "Hide the panels to give the transcript the whole window; again to bring "
               "them back"),
    ActionSpec("next_panel", "&Next panel", "F6",
               "Move the keyboard focus to the next part of the window (Shift+F6: back)"),
    ActionSpec("previous_panel", "&Previous panel", "Shift+F6",
               "Move the keyboard focus to the previous part of the window"),
    ActionSpec("guide", "&Getting started", "Shift+F1",
               "A short guide to the six phases and where each is done in this window"),
    ActionSpec("open_demo", "Open the &demo project", None,
               "Four fictional interviews, partly coded (made in your data folder the "
               "first time)"),
    ActionSpec("about", "&About Thematic Workbench", None, "About this application"),
    ActionSpec("shortcuts", "&Keyboard shortcuts", "F1", "List every keyboard shortcut"),
)

EXPORT_MENU = ("&Export", ("table1", "export_extracts", "export_segments", "export_codebook",
                          "export_map", "-",
                          "export_project", "-", "export_diary", "export_audit",
                          "export_methods"))
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&File", ("new", "open", "open_team", "@recent", "-", "import", "import_codebook",
               "import_project", "merge_project", "-", "deidentify", "@export",
               "export_transcripts", "print_transcripts", "-",
               "backup_now", "restore_backup", "-", "close", "quit")),
    ("&Edit", ("undo", "redo", "-", "find", "find_project", "-", "preferences")),
    ("&Code", ("apply_code", "new_code", "in_vivo", "-", "remove_coding", "recode", "memo",
               "annotate", "mark_read", "-", "correct_text", "autocode_speaker", "-",
               "number_keys")),
    ("&Analysis", ("next_phase", "previous_phase", "-", "new_theme", "diary_entry", "-",
                   "snapshot", "verify_audit", "-", "study_design", "coders",
                   "project_language")),
    ("&View", ("@panels",)),
    ("&Help", ("guide", "shortcuts", "-", "open_demo", "-", "about")),
)
TOOLBAR = ("open", "import", "-", "undo", "redo", "-", "apply_code", "in_vivo", "-",
           "find_project")


def build_actions(window: QMainWindow,
                  handlers: dict[str, Callable[[], object]]) -> dict[str, QAction]:
    """Create the actions, wire each to its handler and keep them on the window."""
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        action.setObjectName(f"action_{spec.key}")
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.setStatusTip(spec.tip)
        action.setToolTip(f"{spec.tip} ({action.shortcut().toString()})"
                          if spec.shortcut is not None else spec.tip)
        action.triggered.connect(handlers[spec.key])
        window.addAction(action)
        actions[spec.key] = action
    return actions


def name_theme_levels(actions: dict[str, QAction], words: ThemeWords) -> None:
    """The actions whose words name a theme level, in the project's words (set when a
    project opens and when its design sheet changes)."""
    mnemonic = {"emerging": "emerging &theme", "initial": "initial &theme"}
    actions["new_theme"].setText(
        f"New {mnemonic.get(words.lower, '&' + words.theme('emerging'))}…")
    tip = (f"Preview Table 1 (initial codes, {words.themes('emerging')}, "
           f"{words.themes('final')}) and export it")
    table1 = actions["table1"]
    table1.setStatusTip(tip)
    table1.setToolTip(f"{tip} ({table1.shortcut().toString()})")


def build_menus(window: QMainWindow, actions: dict[str, QAction], recent_menu: QMenu,
                panels_menu: QMenu) -> None:
    bar = window.menuBar()
    for title, entries in MENUS:
        menu = bar.addMenu(title)
        for entry in entries:
            if entry == "-":
                menu.addSeparator()
            elif entry == "@recent":
                menu.addMenu(recent_menu)
            elif entry == "@export":
                submenu = menu.addMenu(EXPORT_MENU[0])
                for key in EXPORT_MENU[1]:
                    if key == "-":
                        submenu.addSeparator()
                    else:
                        submenu.addAction(actions[key])
            elif entry == "@panels":
                for action in panels_menu.actions():
                    menu.addAction(action)
            else:
                menu.addAction(actions[entry])


def build_toolbar(window: QMainWindow, actions: dict[str, QAction]) -> QToolBar:
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("main_toolbar")
    toolbar.setMovable(False)
    for entry in TOOLBAR:
        if entry == "-":
            toolbar.addSeparator()
        else:
            toolbar.addAction(actions[entry])
    return toolbar


def action_keys() -> dict[str, str]:
    """Each action's shortcut as the menus show it, by action key, in menu order (the
    guide's placeholders and the keyboard-shortcuts help)."""
    return {spec.key: QKeySequence(spec.shortcut).toString(
                QKeySequence.SequenceFormat.NativeText)
            for spec in ACTIONS if spec.shortcut is not None}


def shortcut_table() -> list[tuple[str, str]]:
    """(action, keys) for the keyboard-shortcuts help, in menu order."""
    keys = action_keys()
    rows = [(spec.text.replace("&", "").rstrip("…"), keys[spec.key])
            for spec in ACTIONS if spec.key in keys]
    rows.append(("Apply the code on that key (shown under the transcript)", "1 … 9"))
    rows.append(("Select whole lines", "drag across the line numbers"))
    return rows
