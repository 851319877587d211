"""What a merge of two projects did, said the same way in the window and on the command line."""

from __future__ import annotations

from dataclasses import dataclass, field

from thematic_workbench.core.wording import plural

# The kinds a merge brings, in the order the report names them, with their words.
MERGED_KINDS: tuple[tuple[str, str, str], ...] = (
    ("coders", "coder", "coders"),
    ("participants", "participant", "participants"),
    ("attributes", "attribute value", "attribute values"),
    ("transcripts", "transcript", "transcripts"),
    ("codes", "code", "codes"),
    ("themes", "theme", "themes"),
    ("memberships", "code placed in a theme", "codes placed in themes"),
    ("links", "link on the map", "links on the map"),
    ("codings", "coding", "codings"),
    ("memos", "coding memo", "coding memos"),
    ("margin_notes", "margin note", "margin notes"),
    ("readings", "reading", "readings"),
    ("diary_entries", "diary entry", "diary entries"),
    ("comments", "comment", "comments"),
    ("sign_offs", "sign-off", "sign-offs"),
)


@dataclass
class MergeReport:
    """Counts by kind (keys of :data:`MERGED_KINDS`) of what was added from the other
    project and what it holds that this one already had; one line per conflict (this
    project's version kept) and per thing left out; and the other trail kept beside ours."""

    project: str
    other: str
    added: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    filled: list[str] = field(default_factory=list)  # empty or open here, completed there
    conflicts: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    other_events: int = 0
    trail_kept: int = 0  # events of the other trail kept by this merge (0: kept before)
    merge_id: int | None = None
    trail: str = ""
    intact: bool = True

    def count(self, part: dict[str, int], kind: str) -> None:
        part[kind] = part.get(kind, 0) + 1

    @property
    def nothing_new(self) -> bool:
        return self.merge_id is None

    def lines(self) -> list[str]:
        """The report as a person reads it: added, already there, conflicts, left out."""
        added = _listed(self.added)
        matched = _listed(self.matched)
        if self.nothing_new:
            head = (f"nothing new in {self.other}: {self.project} already holds all of it"
                    f"{f' ({matched})' if matched else ''}")
        else:
            head = f"merged {self.other} into {self.project}"
        lines = [head]
        if not self.nothing_new:
            lines.append(f"added: {added or 'nothing new'}")
            if matched:
                lines.append(f"already there: {matched}")
        if self.filled:
            lines.append("completed from there:")
            lines += [f"  {line}" for line in self.filled]
        if self.conflicts:
            lines.append(f"{plural(len(self.conflicts), 'conflict')} "
                         f"({self.project}'s version kept):")
            lines += [f"  {line}" for line in self.conflicts]
        if self.left_out:
            lines.append("not brought:")
            lines += [f"  {line}" for line in self.left_out]
        if not self.nothing_new:
            kept = (f"its audit trail ({plural(self.other_events, 'event')}) is kept beside "
                    "this project's" if self.trail_kept else
                    "its audit trail was kept by an earlier merge")
            lines.append(kept)
        if self.trail:
            lines.append(self.trail)
        return lines


def _listed(counts: dict[str, int]) -> str:
    return ", ".join(plural(counts[kind], word, many) for kind, word, many in MERGED_KINDS
                     if counts.get(kind))
