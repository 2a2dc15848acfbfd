"""The press release from the records: the working group's every department, the reception
figures, survey results where allowed; restricted events only in the press office's wording."""

import random
import re
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from kelisim.accounts.models import Department
from kelisim.appeals.models import ReceptionSession, Visitor
from kelisim.appeals.selectors import ReceptionFigures, reception_figures_for_visit
from kelisim.events.models import Event
from kelisim.programs.models import Member, Visit
from kelisim.registry.models import Person
from kelisim.reports import services
from kelisim.reports.press_release import draft, facts, receptions_kk
from kelisim.surveys.models import Instrument, Response
from kelisim.surveys.scoring import TOLERANCE_ITEMS
from kelisim.surveys.services import response_submit
from kelisim.territories.models import Territory

ALMATY = ZoneInfo("Asia/Almaty")
ZHAMBYL, KORDAY, SHU, TRYSKULOV = "310000000", "314800000", "316600000", "313600000"
# The seed release's twelve, in its order: the law-enforcement body and the regional departments.
TWELVE = [
    "police",
    "internal_policy",
    "culture",
    "education",
    "sport",
    "religion",
    "languages",
    "youth",
    "employment",
    "veterinary",
    "energy_housing",
    "natural_resources",
]
SEED_SENTENCE = (
    "Айта кетейік, жұмыс тобының құрамында Жамбыл облысының Полиция департаментінің, ішкі саясат, "
    "мәдениет, білім, спорт, дін істері, тілдерді дамыту, жастар саясаты, жұмыспен қамту, ветеринария, "
    "энергетика және тұрғын үй-коммуналдық шаруашылық, табиғи ресурстар басқармаларының өкілдері "
    "қабылдаулар жүргізді."
)


def _answers(rng: random.Random) -> dict[str, str]:
    answers = {"age_band": "18_24", "gender": "female", "language": "kk", "occupation": "student"}
    answers["ethnicity"] = "kazakh"
    return answers | {item: str(rng.randint(1, 6)) for item in TOLERANCE_ITEMS}


@pytest.fixture
def officer(make_user):  # type: ignore[no-untyped-def]
    return make_user("press_officer", ZHAMBYL)


def _visit(seed_visit: Visit, code: str, start: date, days: int = 3) -> Visit:
    return Visit.objects.create(
        edition=seed_visit.edition,
        territory=Territory.objects.get(code=code),
        date_start=start,
        date_end=start + timedelta(days=days - 1),
    )


def _roster(visit: Visit, codes: list[str]) -> None:
    zhambyl = Territory.objects.get(code=ZHAMBYL)
    for number, code in enumerate(codes):
        person = Person.objects.create(full_name=f"Маман {number}", territory=zhambyl)
        department = Department.objects.get(territory=zhambyl, code=code)
        Member.objects.create(visit=visit, person=person, department=department)


def _session(
    visit: Visit | None, code: str, start: datetime, department_code: str = "culture"
) -> ReceptionSession:
    return ReceptionSession.objects.create(
        visit=visit,
        department=Department.objects.get(territory__code=ZHAMBYL, code=department_code),
        territory=Territory.objects.get(code=code),
        place="Әкімдік",
        start=start,
        end=start + timedelta(hours=3),
    )


def _visitors(session: ReceptionSession, *outcomes: str) -> None:
    for outcome in outcomes:
        Visitor.objects.create(
            session=session,
            declined_name=True,
            department=session.department,
            question="Сұрақ.",
            outcome=outcome,
        )


def test_a_release_for_a_visit_with_twelve_departments_names_all_twelve(seed_visit, officer):
    visit = _visit(seed_visit, KORDAY, date(2023, 9, 5))
    _roster(visit, TWELVE + TWELVE[:3])  # a department with several members is named once
    _visitors(_session(visit, KORDAY, datetime(2023, 9, 5, 10, tzinfo=ALMATY)), Visitor.Outcome.ADVICE)

    text = draft(visit, "kk", officer).text

    assert SEED_SENTENCE in text
    for code in TWELVE:
        department = Department.objects.get(territory__code=ZHAMBYL, code=code)
        head = department.name_kk.removesuffix(" басқармасы").removeprefix("Жамбыл облысы әкімдігінің ")
        assert head.lower()[:-1] in text.lower(), department.name_kk
    assert text.count("басқармаларының") == 1
    russian = draft(visit, "ru", officer).text
    for code in TWELVE:
        # In the genitive, the departments (управления) sharing one head: "управлений … культуры, …".
        name = Department.objects.get(territory__code=ZHAMBYL, code=code).name_ru
        words = name.removeprefix("Управление ").removesuffix(" акимата Жамбылской области").split()
        assert " ".join(words[1:]) in russian and words[0][:-2].lower() in russian.lower(), name
    assert russian.count("управлений ") == 1


def test_the_draft_reads_a_long_roster_in_as_many_queries_as_a_short_one(seed_visit, officer):
    def queries(codes: list[str]) -> int:
        visit = _visit(seed_visit, KORDAY, date(2023, 9, 5))
        _roster(visit, codes)
        _visitors(_session(visit, KORDAY, datetime(2023, 9, 5, 10, tzinfo=ALMATY)), Visitor.Outcome.ADVICE)
        with CaptureQueriesContext(connection) as captured:
            draft(visit, "kk", officer)
        visit.delete()
        return len(captured)

    queries(TWELVE[:1])  # the user's grants and the instruments' cubes are read once per user
    assert queries(TWELVE[:2]) == queries(TWELVE)


def test_without_receptions_the_composition_says_who_joined(seed_visit, officer):
    visit = _visit(seed_visit, KORDAY, date(2023, 9, 5))
    _roster(visit, ["culture", "education"])

    text = draft(visit, "kk", officer).text

    assert "Жұмыс тобының құрамына мәдениет пен білім басқармаларының өкілдері кірді." in text
    assert "қабылдаулар жүргізді" not in text and "азаматты қабылдады" not in text


def test_reception_figures_match_the_records(seed_visit, officer):
    visitors = list(Visitor.objects.filter(session__visit=seed_visit).select_related("department"))
    advice = sum(v.outcome in ("advice", "resolved") for v in visitors)
    appeals = sum(v.outcome == "appeal" for v in visitors)
    redirected = sum(v.outcome == "redirected" for v in visitors)
    departments = len({v.department_id for v in visitors})
    assert visitors and advice and appeals and redirected  # the demo has every outcome

    text = draft(seed_visit, "kk", officer).text

    assert (
        f"Барлығы {departments} мекеменің мамандары {len(visitors)} азаматты қабылдады. "
        f"Оның ішінде {advice} азаматқа кеңес пен түсініктеме берілді, {appeals} азаматтың өтініші "
        f"тіркелді, {redirected} азаматтың өтініші құзыретті органдарға жолданды."
    ) in text
    russian = draft(seed_visit, "ru", officer).text
    assert f"обратились {len(visitors)} граждан" in russian
    assert f"Консультации и разъяснения получили {advice} граждан" in russian
    assert f"зарегистрированы обращения {appeals} граждан" in russian and "Из них" not in russian
    assert f"обращения {redirected} граждан направлены в компетентные органы" in russian


def test_a_session_opened_without_the_visit_counts_when_held_in_its_district_and_days(seed_visit, officer):
    before = reception_figures_for_visit(user=officer, visit=seed_visit, capability="write_press_release")
    inside = _session(None, "314830100", datetime(2023, 5, 11, 15, tzinfo=ALMATY))  # Korday village
    _visitors(inside, Visitor.Outcome.ADVICE, Visitor.Outcome.APPEAL)
    late = _session(None, KORDAY, datetime(2023, 5, 13, 9, tzinfo=ALMATY))  # the day after
    elsewhere = _session(None, SHU, datetime(2023, 5, 11, 9, tzinfo=ALMATY))  # another district
    other_visit = _session(_visit(seed_visit, KORDAY, date(2023, 5, 11), 1), KORDAY, inside.start)
    for session in (late, elsewhere, other_visit):
        _visitors(session, Visitor.Outcome.ADVICE)

    after = reception_figures_for_visit(user=officer, visit=seed_visit, capability="write_press_release")

    assert after.sessions == before.sessions + 1
    assert (after.visitors, after.advice, after.appeals) == (
        before.visitors + 2,
        before.advice + 1,
        before.appeals + 1,
    )


def test_reception_figures_are_counted_within_the_users_scope(seed_visit, make_user):
    shu = make_user("district_coordinator", SHU)
    korday = make_user("district_coordinator", KORDAY)

    assert reception_figures_for_visit(user=shu, visit=seed_visit) == ReceptionFigures()
    assert (
        reception_figures_for_visit(user=korday, visit=seed_visit).visitors
        == Visitor.objects.filter(session__visit=seed_visit).count()
    )


def test_a_restricted_event_never_appears_with_the_figures(seed_visit, officer):
    restricted = Event.objects.get(visit=seed_visit, restricted=True)
    speakers = [o.person.full_name for o in restricted.officials.all() if o.person]

    for language in ("kk", "ru"):
        text = services.press_release_generate(actor=officer, visit=seed_visit, language=language).text
        assert getattr(restricted, f"title_{language}")[:20] not in text
        summary = getattr(restricted, f"summary_{language}")
        assert not summary or summary[:20] not in text
        for name in speakers:
            assert name not in text
        assert ("азаматты қабылдады" in text) if language == "kk" else ("граждан" in text)
    assert (
        "профилактикалық кездесу"
        in services.press_release_generate(actor=officer, visit=seed_visit, language="kk").text
    )


def test_survey_figures_of_the_district_appear_for_a_reader_of_surveys(seed_visit, officer):
    students = Response.objects.filter(district_code=KORDAY, collected_on__year=2023, occupation="student")
    n = students.count()
    mean = sum(r.total for r in students) / n
    assert n >= 5

    text = draft(seed_visit, "kk", officer).text

    decimal = f"{mean:.1f}".replace(".", ",")
    assert f"{n} студенттің орташа индексі — {decimal} балл." in text
    assert "2023 жылы Қордай ауданында толеранттылық деңгейін анықтау сауалнамасына" in text
    assert f"их средний индекс — {decimal} балла" in draft(seed_visit, "ru", officer).text


def test_survey_figures_are_left_out_when_the_group_is_small(seed_visit, officer):
    version = Instrument.objects.get(code="tolerance_index").current
    territory = Territory.objects.get(code=TRYSKULOV)
    rng = random.Random(7)
    for number in range(4):
        response_submit(
            actor=None,
            version=version,
            raw=_answers(rng),
            territory=territory,
            source=Response.Source.SYNTHETIC,
            instance_id=f"test:small:{number}",
            collected_on=date(2023, 6, 1),
        )
    visit = _visit(seed_visit, TRYSKULOV, date(2023, 6, 1))

    assert facts(visit, officer).surveys == []
    assert "сауалнама" not in draft(visit, "kk", officer).text
    assert "опрос" not in draft(visit, "ru", officer).text


def test_survey_figures_need_the_survey_capability(seed_visit, make_user):
    specialist = make_user("specialist", KORDAY)  # runs receptions, does not read surveys

    assert facts(seed_visit, specialist).surveys == []
    assert facts(seed_visit, make_user("press_officer", ZHAMBYL)).surveys


@override_settings(KELISIM_SURVEY_SENSITIVE_ITEMS=("ethnicity", "religion", "occupation"))
def test_a_sensitive_grouping_is_not_given_to_a_user_without_the_capability(seed_visit, officer, make_user):
    found = facts(seed_visit, officer)
    assert found.surveys and found.surveys[0].students is None
    text = draft(seed_visit, "kk", officer).text
    assert "студенттің" not in text and "адам қатысты" in text

    coordinator = make_user("regional_coordinator", ZHAMBYL)  # holds view_sensitive
    assert facts(seed_visit, coordinator).surveys[0].students is not None


def test_the_command_prints_the_figures(seed_visit):
    out = StringIO()
    call_command("press_release", "--visit", str(seed_visit.pk), "--lang", "kk", stdout=out)
    assert "азаматты қабылдады" in out.getvalue() and "студенттің орташа индексі" in out.getvalue()


# Numbers and endings of the new sentences: the noun after a numeral stays singular, and its
# ending follows the noun's own vowels and last sound.
PLURAL_AFTER_NUMBER = re.compile(r"\b\d+ \w*(лар|лер|дар|дер|тар|тер)\w*\b")


@pytest.mark.parametrize("n", [1, 2, 5, 10, 12, 21, 40, 100, 1000])
@pytest.mark.parametrize("kinds", [{"department"}, {"department", "law_enforcement"}])
def test_reception_sentences_agree_with_every_number(n, kinds):
    figures = ReceptionFigures(
        sessions=1,
        visitors=n,
        departments=n,
        department_kinds=frozenset(kinds),
        advice=n,
        appeals=n,
        redirected=n,
    )
    (text,) = receptions_kk(figures)
    body = "басқарманың" if kinds == {"department"} else "мекеменің"
    assert text == (
        f"Барлығы {n} {body} мамандары {n} азаматты қабылдады. Оның ішінде {n} азаматқа кеңес "
        f"пен түсініктеме берілді, {n} азаматтың өтініші тіркелді, {n} азаматтың өтініші құзыретті "
        "органдарға жолданды."
    )
    assert not PLURAL_AFTER_NUMBER.search(text)


def test_reception_sentence_leaves_out_outcomes_nobody_had():
    (text,) = receptions_kk(ReceptionFigures(visitors=3, departments=1, advice=3))
    assert text == (
        "Барлығы 1 басқарманың мамандары 3 азаматты қабылдады. "
        "Оның ішінде 3 азаматқа кеңес пен түсініктеме берілді."
    )
    assert receptions_kk(ReceptionFigures()) == []
