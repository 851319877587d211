"""The word and phrase bank the synthetic transcripts are assembled from."""

from __future__ import annotations

import random

OPENERS = (
    "I think", "To be honest,", "Honestly,", "I mean,", "You know,", "Looking back,",
    "At the beginning,", "Most of the time", "Sometimes", "For me,", "What I noticed was that",
    "The thing is,", "In my experience", "If I'm really honest,", "I suppose", "Back then",
    "Over the last year", "On a good day", "On a bad day", "When I started,", "Funnily enough,",
)
SUBJECTS = (
    "the team", "my manager", "the patients", "the families", "the night shift", "our ward",
    "the new system", "the training", "my colleagues", "management", "the senior nurses",
    "the junior doctors", "the students", "the union rep", "the other staff", "everyone",
    "the consultants", "the agency staff", "my line manager", "the whole department",
)
VERBS = (
    "didn't really support", "made it harder to manage", "helped us cope with",
    "changed how we thought about", "kept pushing back on", "never really listened to",
    "slowly got used to", "struggled with", "talked a lot about", "tried to improve",
    "were quite open about", "had no time for", "worried constantly about", "learned to live with",
    "argued about", "quietly ignored", "relied heavily on", "felt responsible for",
)
OBJECTS = (
    "the handover process", "the staffing levels", "the extra paperwork", "the rota",
    "those difficult conversations", "the way we documented care", "the breaks we never took",
    "the complaints procedure", "the new electronic records", "the pressure on beds",
    "the sickness absence", "the mentoring scheme", "the weekend cover", "the targets",
    "the debriefs after a death", "the long commute", "the on-call arrangements", "the budget",
)
TAILS = (
    "", "", "", " and that was hard", ", which surprised me", " at least in the first year",
    ", if that makes sense", ", and I still think about it", ", to be fair",
    ", because nobody had time",
    " more than anyone expected", ", which wasn't easy", " in a way I hadn't seen before",
    ", and that stayed with me", " for a long while", ", so we just got on with it",
)
ASIDES = (
    "[laughs]", "um,", "you know,", "sort of", "I don't know,", "[pause]", "kind of", "like,",
)
TOPICS = (
    "your first year on the ward", "how handovers work", "the support you had",
    "a typical night shift", "the changes after the restructure", "working with families",
    "what keeps you going", "the training you received", "dealing with complaints",
    "the relationship with management", "how the team copes with loss", "your plans",
)
QUESTIONS = (
    "Can you tell me about {topic}?", "How did you feel about {topic}?",
    "What would you change about {topic}?", "Could you say a bit more about that?",
    "What happened next?", "And how did the team react?", "Why do you think that was?",
    "Was that typical, would you say?", "How does that compare with {topic}?",
    "Is there anything else about {topic} you'd like to add?", "Mm-hmm. Go on.",
)


def sentence(rng: random.Random) -> str:
    """One answer sentence, such as "Honestly, the team struggled with the rota, to be fair."."""
    parts = [rng.choice(OPENERS), rng.choice(SUBJECTS)]
    if rng.random() < 0.2:
        parts.append(rng.choice(ASIDES))
    parts += [rng.choice(VERBS), rng.choice(OBJECTS)]
    text = " ".join(parts) + rng.choice(TAILS) + "."
    return text[0].upper() + text[1:]


def question(rng: random.Random) -> str:
    """One interviewer prompt."""
    return rng.choice(QUESTIONS).format(topic=rng.choice(TOPICS))


CODE_HEADS = (
    "Workload", "Trust", "Burnout", "Autonomy", "Recognition", "Isolation", "Moral distress",
    "Teamwork", "Humour", "Fatigue", "Guilt", "Pride", "Uncertainty", "Belonging",
    "Frustration", "Resilience", "Conflict", "Learning", "Fear of error", "Compassion",
    "Boundaries", "Voice", "Time pressure", "Hope", "Loyalty",
)
CODE_ASPECTS = (
    "in handovers", "with families", "at night", "with management", "during training",
    "after a death", "in the first year", "with colleagues", "about staffing", "at home",
    "with patients", "in documentation", "on weekends", "about pay", "in supervision",
    "with students", "during the restructure", "about the rota", "in emergencies",
    "about the future", "with agency staff", "in meetings", "on breaks", "about complaints",
    "with doctors",
)


def code_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct code names such as "Trust with families" (at most 625)."""
    names = [f"{head} {aspect}" for head in CODE_HEADS for aspect in CODE_ASPECTS]
    return rng.sample(names, count)
