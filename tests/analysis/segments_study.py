"""A small study for the coded-segments tests: two interviews and a focus group, codings
within and across turns, themes on two levels and a participant attribute."""

from __future__ import annotations

from dataclasses import replace

from tests.core.helpers_docs import imported
from thematic_workbench.core.services import codes, codings, participants, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns

PA_TEXT = ("INT: How do you look after yourself after a hard week?\n"
           "PA: I run every morning before work.\n"
           "INT: And supervision?\n"
           "PA: Supervision is where I can say what I could not say anywhere else.")
BO_TEXT = ("INT: What keeps you going?\n"
           "bo: My team, mostly. We laugh a lot on the ward.\n"
           "INT: Anything else?\n"
           "bo: Long walks with the dog.")
GROUP_TEXT = ("Mod: What does rest mean to you?\n"
              "Anna: Switching my phone off.\n"
              "Ben: Cooking for friends on a Sunday.\n"
              "Mod: Thank you both.")
TWO_TURNS = "I run every morning before work.\nINT: And supervision?"


def build_study(store: ProjectStore, coder: str = "alice") -> dict[str, int]:
    """Store the study; returns the ids by a short key."""
    ids: dict[str, int] = {}
    with store.transaction(coder) as tx:
        for key, text, name, label in (("pa", PA_TEXT, "PA interview", "PA"),
                                       ("bo", BO_TEXT, "bo interview", "bo"),
                                       ("group", GROUP_TEXT, "Focus group 1", None)):
            document = replace(imported(text, name), turns=tuple(detect_turns(text)))
            ids[key] = import_document(tx, document, participant=label).new_id("document")
        for label in ("Anna", "Ben"):
            ids[label] = participants.create_participant(tx, label).new_id("participant")
        participants.define_attribute(tx, "profession")
        for label, value in (("PA", "psychologist"), ("bo", "nurse"), ("Anna", "nurse"),
                             ("Ben", "psychologist")):
            participant = participants.find_participant(tx, label)
            assert participant is not None
            participants.set_participant_attribute(tx, participant.id, "profession", value)
        for name in ("Running", "Support", "Rest", "Humour"):
            ids[name] = codes.create_code(tx, name).new_id("code")
        ids["final"] = themes.create_theme(tx, "Care of self", "final").new_id("theme")
        ids["routines"] = themes.create_theme(tx, "Routines", "emerging",
                                              parent_id=ids["final"]).new_id("theme")
        ids["held"] = themes.create_theme(tx, "Being held", "emerging").new_id("theme")
        themes.assign_code(tx, ids["Running"], ids["routines"])
        themes.assign_code(tx, ids["Rest"], ids["routines"])
        themes.assign_code(tx, ids["Support"], ids["held"])
        themes.assign_code(tx, ids["Humour"], ids["held"])
        ids["run"] = codings.code_match(tx, ids["pa"], ids["Running"],
                                        "I run every morning before work.",
                                        memo="before the clients").new_id("coding")
        ids["across"] = codings.code_match(tx, ids["pa"], ids["Support"],
                                           TWO_TURNS).new_id("coding")
        ids["lines"] = codings.code_lines(tx, ids["pa"], ids["Support"], 4, 4).new_id("coding")
        ids["laugh"] = codings.code_match(tx, ids["bo"], ids["Humour"],
                                          "We laugh a lot on the ward.").new_id("coding")
        ids["walk"] = codings.code_match(tx, ids["bo"], ids["Rest"],
                                         "Long walks with the dog.").new_id("coding")
        ids["phone"] = codings.code_match(tx, ids["group"], ids["Rest"],
                                          "Switching my phone off.").new_id("coding")
        ids["cook"] = codings.code_match(tx, ids["group"], ids["Rest"],
                                         "Cooking for friends on a Sunday.").new_id("coding")
    return ids


def map_group_speakers(store: ProjectStore, ids: dict[str, int]) -> None:
    """Anna's and Ben's turns of the focus group credited to them."""
    from thematic_workbench.core.services.speakers import map_speaker

    with store.transaction("alice") as tx:
        map_speaker(tx, ids["group"], "Anna", ids["Anna"])
        map_speaker(tx, ids["group"], "Ben", ids["Ben"])
