"""Questions a researcher may put to themselves in the diary, phase by phase.

Written for this project after the reflexive questions Braun and Clarke suggest for each
phase of reflexive thematic analysis: they ask what the researcher brings to the data, not
whether the coding is "right". Plain data, so the window and any report can offer them.
"""

from __future__ import annotations

PROMPTS: dict[int, tuple[str, ...]] = {
    1: ("What do I expect to find, and why?",
        "What surprised me on this reading, and what did I skim past?",
        "How do I feel about this participant, and how might that colour my reading?",
        "What in my own experience echoes what is said here?"),
    2: ("Which codes reflect my own assumptions rather than the participant's words?",
        "Am I coding only what is said, or also what lies underneath it?",
        "What am I leaving uncoded, and why?",
        "Have my codes changed since the first transcripts? What moved them?"),
    3: ("What is the central idea that holds this candidate theme together?",
        "Am I turning my interview questions into themes?",
        "Which codes fit nowhere yet, and what might they be telling me?",
        "Which story about the data am I most drawn to, and why?"),
    4: ("Does each theme still hold when I read the whole data set again?",
        "Where do two themes overlap, and should they merge or part?",
        "Which extracts argue against a theme, and what do I do with them?",
        "What am I reluctant to let go of, and why?"),
    5: ("Can I say what each theme is about in a sentence or two?",
        "What does each name promise, and does the theme deliver it?",
        "How do the themes together answer the research question?"),
    6: ("How have I shaped this analysis, and does the write-up say so?",
        "Do the extracts I chose show the analytic claim, or just illustrate it?",
        "Whose voices are heard most in the report, and whose least?",
        "What would a participant recognise here, and what might they dispute?"),
}


def prompts_for(phase: int) -> tuple[str, ...]:
    """The questions of one phase (none for a phase that does not exist)."""
    return PROMPTS.get(phase, ())
