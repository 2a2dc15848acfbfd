"""Synthetic survey data for the demo, labelled as such (source "synthetic"): the tolerance survey
and focus group at the Korday college on 12 May 2023, and earlier years in two more districts so
that trends (and one early warning) show. Seeded, so every run gives the same data."""

import random
from datetime import date
from typing import Any

from kelisim.events.models import Event
from kelisim.programs.models import Visit
from kelisim.registry.models import Person
from kelisim.surveys.models import FocusGroup, Instrument, Response
from kelisim.surveys.scoring import TOLERANCE_DIRECT, TOLERANCE_ITEMS
from kelisim.surveys.services import focus_group_record, instruments_install_ready, response_submit
from kelisim.territories.models import Territory

AGE = ["14_17", "18_24", "25_34", "35_54", "55_plus"]
# (district, year, respondents, mean tolerance level 1..6 on direct items, age bands used)
PLAN = [
    ("314800000", 2021, 40, 4.4, ["14_17", "18_24"]),
    ("314800000", 2022, 45, 4.5, ["14_17", "18_24"]),
    ("314800000", 2023, 60, 4.6, ["14_17", "18_24"]),
    ("316600000", 2021, 50, 4.6, AGE),
    ("316600000", 2022, 55, 4.2, AGE),
    ("316600000", 2023, 60, 2.7, AGE),  # the low-tolerance share rises: an early warning shows
    ("315400000", 2022, 40, 4.3, AGE),
    ("315400000", 2023, 42, 4.4, AGE),
]


def _answers(rng: random.Random, level: float, age_band: str) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "age_band": age_band,
        "gender": rng.choice(["female", "male"]),
        "ethnicity": rng.choice(["kazakh", "kazakh", "russian", "dungan", "uzbek", "undisclosed"]),
        "language": rng.choice(["kk", "kk", "ru"]),
        "occupation": "student"
        if age_band in ("14_17", "18_24")
        else rng.choice(["employed", "retired", "unemployed"]),
    }
    for number, item in enumerate(TOLERANCE_ITEMS, start=1):
        agreement = min(6, max(1, round(rng.gauss(level, 1.1))))
        # A tolerant respondent agrees with direct items and disagrees with reversed ones.
        answers[item] = str(agreement if number in TOLERANCE_DIRECT else 7 - agreement)
    return answers


def load_seed_surveys(*, actor: Any, visit: Visit) -> None:
    instruments_install_ready()
    tolerance = Instrument.objects.get(code="tolerance_index").current
    if tolerance is None or Response.objects.filter(version__instrument__code="tolerance_index").exists():
        return
    rng = random.Random(2023)  # nosec B311  # noqa: S311 - repeatable demo data, not a secret
    college_event = Event.objects.filter(visit=visit, format__code="focus_group").first()
    for district, year, count, level, ages in PLAN:
        territory = Territory.objects.get(code=district)
        for number in range(count):
            response_submit(
                actor=None,
                version=tolerance,
                raw=_answers(rng, level, rng.choice(ages)),
                territory=territory,
                source=Response.Source.SYNTHETIC,
                instance_id=f"synthetic:{district}:{year}:{number}",
                collected_on=date(year, 5, 12) if district == "314800000" else date(year, 10, 1),
                event=college_event if (district, year) == ("314800000", 2023) else None,
            )
    if college_event is not None and not FocusGroup.objects.filter(event=college_event).exists():
        focus_group_record(
            actor=None,
            event=college_event,
            moderator=Person.objects.filter(full_name="Е.Қаншымбеков").first(),
            composition={
                "age_band": {"18_24": 12},
                "gender": {"female": 7, "male": 5},
                "ethnicity": {"kazakh": 6, "dungan": 3, "russian": 2, "other": 1},
            },
            guide_questions="1. Ауылдағы ұлтаралық қатынастарды қалай бағалайсыз?\n2. Қандай жағдайда шиеленіс туындайды?\n"
            "3. Жастар арасындағы достықты не нығайтады?",
            summary_kk="Студенттер ұлтаралық ахуалды тұрақты деп бағалады; әлеуметтік желілердегі арандатушылық "
            "жазбалар алаңдаушылық тудырады.",
            summary_ru="Студенты оценили межэтническую обстановку как стабильную; беспокойство вызывают "
            "провокационные публикации в социальных сетях.",
            findings=[
                {
                    "theme": "social_media",
                    "tension_signal": True,
                    "severity": "medium",
                    "quote": "Желіде кейде бір-бірімізге қарсы қояды.",
                },
                {
                    "theme": "language",
                    "tension_signal": False,
                    "quote": "Сабақта екі тілде де еркін сөйлесеміз.",
                },
                {"theme": "sport", "tension_signal": False, "quote": "Футбол командасында бәріміз біргеміз."},
            ],
        )
