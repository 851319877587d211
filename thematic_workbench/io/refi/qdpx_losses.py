"""What a .qdpx cannot carry of this project, in plain words, before anything is written.

The standard asks exporting software to warn the user of data loss "in as much detail as
possible". Each line names something this project holds and the standard has no place
for; things the project does not hold are not mentioned, except the few every project has.
What is carried across as another kind of thing (a theme as a code folder and a set, a
diary entry as a note) is told apart from what stays behind (:func:`export_report`).
"""

from __future__ import annotations

from functools import partial

from thematic_workbench.core.queries.refi_records import ExportFacts
from thematic_workbench.core.records.exchange_report import ExchangeReport
from thematic_workbench.core.wording import plural
from thematic_workbench.io.refi.qdpx_people import is_boolean

_plural = partial(plural, grouped=False)  # counts in a sentence: "1200 events"


def export_losses(facts: ExportFacts) -> list[str]:
    """One sentence per kind of thing that stays behind or changes in a .qdpx."""
    report = export_report(facts)
    return [*report.lost, *report.recast]


def export_report(facts: ExportFacts) -> ExchangeReport:
    """What a .qdpx of this project cannot carry, and what it carries as something else
    (``facts``: ``core.refi_export.export_facts``)."""
    recast: list[str] = []
    losses = [
        "The audit trail "
        f"({_plural(facts.audit_events, 'event')}) is not part of the standard; "
        "export it separately if it belongs in your appendix.",
        "Line numbers are not part of the standard: another program numbers lines its own "
        "way (positions of codings are kept exactly).",
        "The original files (Word, PDF, captions...) are not included: each transcript "
        "travels as its plain text.",
        "Coders' roles (analyst, second coder, supervisor) are not kept: coders become "
        "users by name.",
    ]
    turns = facts.turns
    if turns:
        losses.append(f"Speaker turns ({_plural(turns, 'turn')}) are not kept as such; the "
                      "speaker labels stay in the text.")
    origins = facts.non_inductive_codes
    if origins:
        losses.append(f"Code origins (in vivo, deductive) of {_plural(origins, 'code')} "
                      "are not kept.")
    lone_finals = facts.lone_finals
    if lone_finals:
        recast.append("A final theme with no emerging themes under it reads back as an "
                      "emerging theme (the exchange format cannot tell the two apart): "
                      f"{', '.join(lone_finals)}.")
    merged = facts.merged_codes
    if merged:
        losses.append(f"The history of {_plural(merged, 'merged code')} is left out; "
                      "their codings are under the codes they were merged into.")
    losses += _theme_losses(facts, recast)
    losses += _process_losses(facts, recast)
    choices = sum(1 for values in facts.choice_lists
                  if not is_boolean(values))  # true/false: a Boolean
    if choices:
        recast.append(f"The allowed values of {_plural(choices, 'choice attribute')} are "
                      "not kept: such attributes become text variables.")
    return ExchangeReport(lost=tuple(losses), recast=tuple(recast))


def _theme_losses(facts: ExportFacts, recast: list[str]) -> list[str]:
    losses = []
    if facts.live_themes:
        recast.append("Themes become code folders (not codable) with their codes, and sets "
                      "with the same codes; a theme's definition is kept as its "
                      "description, its status (candidate, final) is not.")
    scoped = facts.scoped_themes
    if scoped:
        losses.append(f"Scope notes of {_plural(scoped, 'theme')} are not kept (only the "
                      "definition is).")
    discarded = facts.discarded_themes
    if discarded:
        losses.append(f"{_plural(discarded, 'discarded theme')} are left out.")
    extracts = facts.themes_with_extract
    if extracts:
        losses.append(f"Representative extracts of {_plural(extracts, 'theme')} are not "
                      "kept (the codings themselves are).")
    links = facts.theme_links
    if links:
        losses.append(f"{_plural(links, 'link')} drawn on the theme map are not kept.")
    return losses


def _process_losses(facts: ExportFacts, recast: list[str]) -> list[str]:
    losses = []
    moves = facts.phase_moves
    ticked = facts.checklist_ticked
    points = facts.checklist_points
    losses.append(f"The current phase and the phase history ({_plural(moves, 'move')}) "
                  f"are not kept, nor the checklist ({ticked} of {points} points ticked).")
    comments, sign_offs = facts.comments, facts.sign_offs
    if comments or sign_offs:
        losses.append(f"Supervisor comments ({comments}) and sign-offs ({sign_offs}) are "
                      "not kept.")
    snapshots = facts.snapshots
    if snapshots:
        losses.append(f"{_plural(snapshots, 'snapshot')} of the coding frame are not kept.")
    entries = facts.diary_entries
    if entries:
        recast.append(f"Diary entries ({entries}) become notes: the phase each was written "
                      "in is not kept, nor links to codes and themes (links to transcripts "
                      "are).")
    return losses
