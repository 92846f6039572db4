"""Every scenario from its start to its end, step by step: the script a trainer follows."""

from collections.abc import Callable

from django.db import transaction

from trainer import steps
from trainer.scenarios import SCENARIOS, Scenario


def scenario_start(scenario: Scenario, *, echo: Callable | None = None) -> tuple:
    story = steps.Story(echo=echo)
    with transaction.atomic():
        dossier = scenario.start(story)
    return dossier, story


def walkthrough_run(*, on_scenario: Callable[[Scenario], None], echo: Callable) -> list[steps.Story]:
    stories = []
    for scenario in SCENARIOS:
        on_scenario(scenario)
        dossier, story = scenario_start(scenario, echo=echo)
        scenario.finish(story, dossier)
        stories.append(story)
    return stories
