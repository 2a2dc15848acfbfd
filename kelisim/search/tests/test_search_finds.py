"""Search that finds (issue 16.4): an event by what a user remembers it by, a visit first for its
district's name, Kazakh verb forms and surnames with case endings — on both engines."""

import pytest

from kelisim.events.models import AudienceCategory, Event, EventAudience, EventFormat, EventOfficial, Topic
from kelisim.registry.models import Person
from kelisim.search.analysis import _word_stems, stems_of, verb_root
from kelisim.search.indexing import rebuild
from kelisim.search.selectors import search

KORDAY, REGION = "314800000", "310000000"


@pytest.fixture
def event(seed_visit, territory):  # type: ignore[no-untyped-def]
    template = Event.objects.filter(visit=seed_visit, restricted=False).first()
    created = Event.objects.create(
        format=EventFormat.objects.get(code="round_table"),
        title_kk="Дөңгелек үстел",
        summary_kk="Жастар саясаты мәселелері талқыланды.",
        start=template.start,
        end=template.end,
        territory=territory(KORDAY),
    )
    created.topics.add(Topic.objects.get(code="religious_stability"))
    EventAudience.objects.create(event=created, category=AudienceCategory.objects.get(code="elders"))
    EventAudience.objects.create(event=created, category=AudienceCategory.objects.get(code="probation"))
    person = Person.objects.create(full_name="Б.Ибраев", territory=territory(KORDAY))
    EventOfficial.objects.create(event=created, person=person, position_kk="бөлім басшысы")
    rebuild()
    return created


def _events(user, query):  # type: ignore[no-untyped-def]
    return [h.id for h in search(user=user, query=query, limit=100)[1] if h.type == "event"]


@pytest.mark.parametrize(
    "query",
    [
        "діни тұрақтылық",
        "религиозная стабильность",
        "ақсақалдар",
        "Ибраевқа",
        "Ибраевтің",
        "талқылау",
        "талқылады",
    ],
)
def test_an_event_is_found_by_its_topics_audiences_officials_and_verb_forms(event, make_user, query):
    assert event.pk in _events(make_user("regional_coordinator", REGION), query), query


def test_a_sensitive_audience_does_not_make_an_open_event_findable(event, make_user):
    assert event.pk not in _events(make_user("regional_coordinator", REGION), "пробация есебінде")
    assert event.pk not in _events(make_user("district_coordinator", KORDAY), "пробация")


def test_the_visit_comes_first_for_its_districts_name(event, make_user):
    user = make_user("regional_coordinator", REGION)
    for query in ("Қордай", "Кордай", "Кордайский район"):
        _total, hits = search(user=user, query=query, limit=5)
        assert hits and hits[0].type == "visit", (query, [h.type for h in hits])


@pytest.mark.parametrize(
    ("form", "root"),
    [
        ("талқыланды", "талкыла"),
        ("талқылау", "талкыла"),
        ("талқыланған", "талкыла"),
        ("кездесті", "кездес"),
        ("өткізу", "откиз"),
        ("ұйымдастырылды", "уйымдастыр"),
    ],
)
def test_kazakh_verb_forms_meet_at_their_root(form, root):
    assert root in stems_of(form)


@pytest.mark.parametrize(
    ("form", "surname"), [("Тоқаевтың", "токаев"), ("Ибраевқа", "ибраев"), ("Ахметовке", "акметов")]
)
def test_surnames_lose_their_kazakh_case_endings(form, surname):
    assert surname in stems_of(form)


def test_a_noun_is_not_read_as_a_verb():
    assert verb_root("мектеп") == "" and verb_root("шу") == ""


def test_counts_stop_at_the_cap_and_say_so(event, make_user, monkeypatch):
    from kelisim.search import selectors

    user = make_user("regional_coordinator", REGION)
    exact, _hits = search(user=user, query="Қордай", limit=5)
    assert exact > 3
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    capped, hits = search(user=user, query="Қордай", limit=5)
    assert capped == 3 and len(hits) == 5  # COUNT_CAP + 1 means "more than"; the page is whole
    assert search(user=user, query="Қордай", limit=5, offset=10)[1] == []  # no pages past the cap
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    body = client.get("/api/v1/search/", {"q": "Қордай"}).json()
    assert body["count"] == 2 and body["capped"] is True
    from django.test import Client

    page = Client()
    page.force_login(user)
    assert "2" in page.get("/search/", {"q": "Қордай"}).content.decode()


def test_an_audience_made_sensitive_leaves_the_open_events_documents(
    event, make_user, django_capture_on_commit_callbacks
):
    user = make_user("regional_coordinator", REGION)
    assert event.pk in _events(user, "ақсақалдар")
    elders = AudienceCategory.objects.get(code="elders")
    elders.sensitive = True
    with django_capture_on_commit_callbacks(execute=True):
        elders.save()
    assert event.pk not in _events(user, "ақсақалдар")


def test_an_officials_new_name_reaches_the_events_document(
    event, make_user, django_capture_on_commit_callbacks
):
    user = make_user("regional_coordinator", REGION)
    person = Person.objects.get(full_name="Б.Ибраев")
    person.full_name = "Б.Сейітов"
    with django_capture_on_commit_callbacks(execute=True):
        person.save()
    assert event.pk in _events(user, "Сейітов") and event.pk not in _events(user, "Ибраев")


@pytest.mark.parametrize("number", ["0", "7", "2024", "00001", "314800000", "0" * 30])
def test_a_number_is_its_own_key_as_the_analysis_would_make_it(number: str) -> None:
    assert stems_of(number) == _word_stems(number) == (number,)
