"""Braun and Clarke's six phases and their 15-point checklist, each point in its phase.

The checklist is Braun & Clarke (2006, Table 2), "a 15-point checklist of criteria for good
thematic analysis", with each criterion placed in the phase where it is acted on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhaseInfo:
    number: int
    name: str
    reflexive_name: str


PHASES: tuple[PhaseInfo, ...] = (
    PhaseInfo(1, "Familiarising yourself with the data", "Familiarisation"),
    PhaseInfo(2, "Generating initial codes", "Coding"),
    PhaseInfo(3, "Searching for themes", "Generating initial themes"),
    PhaseInfo(4, "Reviewing themes", "Developing and reviewing themes"),
    PhaseInfo(5, "Defining and naming themes", "Refining, defining and naming themes"),
    PhaseInfo(6, "Producing the report", "Writing up"),
)


def phase_info(number: int) -> PhaseInfo:
    if not 1 <= number <= len(PHASES):
        raise ValueError(f"there are six phases (1-6), not {number}")
    return PHASES[number - 1]


# (key, phase, text): the 15 criteria, in the order of the published checklist.
CHECKLIST: tuple[tuple[str, int, str], ...] = (
    ("transcription", 1, "The data have been transcribed to an appropriate level of detail, "
     "and the transcripts have been checked against the tapes for 'accuracy'."),
    ("equal-attention", 2, "Each data item has been given equal attention in the coding "
     "process."),
    ("thorough-coding", 2, "Themes have not been generated from a few vivid examples (an "
     "anecdotal approach), but instead the coding process has been thorough, inclusive and "
     "comprehensive."),
    ("extracts-collated", 3, "All relevant extracts for all each theme have been collated."),
    ("themes-checked", 4, "Themes have been checked against each other and back to the "
     "original data set."),
    ("themes-coherent", 4, "Themes are internally coherent, consistent, and distinctive."),
    ("analysed-not-described", 6, "Data have been analysed - interpreted, made sense of - "
     "rather than just paraphrased or described."),
    ("analysis-matches-extracts", 6, "Analysis and data match each other - the extracts "
     "illustrate the analytic claims."),
    ("story", 5, "Analysis tells a convincing and well-organised story about the data and "
     "topic."),
    ("balance", 6, "A good balance between analytic narrative and illustrative extracts is "
     "provided."),
    ("enough-time", 6, "Enough time has been allocated to complete all phases of the analysis "
     "adequately, without rushing a phase or giving it a once-over-lightly."),
    ("assumptions-explicit", 6, "The assumptions about, and specific approach to, thematic "
     "analysis are clearly explicated."),
    ("method-fits", 6, "There is a good fit between what you claim you do, and what you show "
     "you have done - ie, described method and reported analysis are consistent."),
    ("language-consistent", 6, "The language and concepts used in the report are consistent "
     "with the epistemological position of the analysis."),
    ("active-researcher", 6, "The researcher is positioned as active in the research process; "
     "themes do not just 'emerge'."),
)
