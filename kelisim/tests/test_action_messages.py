"""Every action confirms what happened (issue 14, item 6).

Two checks: each step of an appeal, a visit's status and a survey link's closing, done through the
pages, ends on a page with a success message naming what happened; and every page in these apps that
takes a POST says `messages.success` somewhere in its view, unless it is listed below with the reason
it confirms otherwise, so a new action without a message fails here.
"""

import inspect
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver

from kelisim.appeals import services
from kelisim.appeals.models import Appeal

KORDAY = "314800000"
APPS = (
    "accounts",
    "appeals",
    "events",
    "imports",
    "notices",
    "programs",
    "public",
    "registry",
    "reports",
    "surveys",
)

# Pages that take a POST and confirm it without a flash message, each with its reason.
CONFIRMED_OTHERWISE = {
    "set-language": "the page itself changes language",
    "import-new": "a queued job: the job's page shows its progress and result",
    "appeal-import": "a queued job: the job's page shows its progress and result",
    "instrument-list": "a queued job: the job's page shows its progress and result",
    "paper-entry": "the row answers in place (htmx): “Saved. Type the next questionnaire.”",
    "public-form": "the respondent's thank-you page",
    "second-factor": "signs in; the next page is the user's own",
    "public-status": "a lookup: the page answers with the appeal's status (or says none matches)",
    "reception-offline-sync": "answers the offline desk's script in JSON; the desk lists each entry's result",
    "appeal-feedback": "the applicant's thank-you page (no account, no messages)",
}


def _takes_post(view: Any) -> bool:
    """The view's source, decorators included (`@require_POST`), reads the POST."""
    return "POST" in inspect.getsource(inspect.unwrap(view))


def _post_views() -> dict[str, Any]:
    found = {}
    for pattern in get_resolver().url_patterns:
        view = getattr(pattern, "callback", None)
        name = getattr(pattern, "name", None)
        parts = (getattr(view, "__module__", "") or "").split(".")
        if view is None or name is None or len(parts) < 3 or parts[1] not in APPS:
            continue
        if _takes_post(view):
            found[name] = view
    return found


def test_every_page_that_takes_a_post_confirms_it():
    views = _post_views()
    assert {"appeal-transition", "appeal-assign", "visitor-outcome", "visit-status"} <= views.keys()
    silent = [
        name
        for name, view in views.items()
        if name not in CONFIRMED_OTHERWISE
        and "messages.success" not in inspect.getsource(inspect.unwrap(view))
    ]
    assert silent == []
    assert set(CONFIRMED_OTHERWISE) <= views.keys(), "an exemption for a page that no longer takes a POST"


def _said(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


@pytest.fixture
def clerk(make_user):  # type: ignore[no-untyped-def]
    user = make_user("district_coordinator", KORDAY)
    user.first_name, user.last_name, user.language = "Дана", "Әлиева", "en"
    user.save()
    client = Client()
    client.force_login(user)
    return user, client


def _appeal(actor, territory, department) -> Appeal:  # type: ignore[no-untyped-def]
    return services.appeal_register(
        actor=actor,
        type=Appeal.Type.STATEMENT,
        channel=Appeal.Channel.WRITTEN,
        applicant_name="Айгүл",
        territory=territory(KORDAY),
        department=department,
        text="Су туралы.",
        received_on=date(2024, 12, 27),
    )


LIFECYCLE = [
    ("assign", {}, "is assigned to Д.Әлиева"),
    ("start", {}, "has started"),
    ("extend", {"until": "2025-02-20", "comment": "Қосымша ақпарат"}, "is extended to"),
    ("answer", {"comment": "Жауап"}, "is answered"),
    ("close", {}, "is closed"),
    ("reopen", {"comment": "Келіспеді"}, "is reopened"),
]


def test_each_step_of_an_appeal_says_what_happened(clerk, territory, korday_department):
    user, client = clerk
    appeal = _appeal(user, territory, korday_department)
    for action, extra, words in LIFECYCLE:
        version = Appeal.objects.get(pk=appeal.pk).version
        if action == "assign":
            url, data = f"/appeals/{appeal.pk}/assign/", {"lead_executor": user.pk, "version": version}
        else:
            url, data = f"/appeals/{appeal.pk}/transition/", {"action": action, "version": version, **extra}
        said = _said(client.post(url, data, follow=True))
        assert [level for level, _text in said] == ["success"], (action, said)
        assert appeal.number in said[0][1] and words in said[0][1], (action, said)


def test_a_redirection_and_its_follow_up_say_what_happened(clerk, territory, korday_department):
    user, client = clerk
    appeal = _appeal(user, territory, korday_department)
    steps = [
        (
            {"action": "redirect", "to": "Полиция", "comment": "Құзыретімізде емес"},
            "is redirected to Полиция",
        ),
        ({"action": "notice"}, "was told of the redirection"),
        ({"action": "body_answer", "comment": "Қаралды"}, "external body answered"),
    ]
    for data, words in steps:
        version = Appeal.objects.get(pk=appeal.pk).version
        said = _said(
            client.post(f"/appeals/{appeal.pk}/transition/", {**data, "version": version}, follow=True)
        )
        assert [level for level, _text in said] == ["success"] and words in said[0][1], (data, said)


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        ("registered", {"redirect"}),
        ("answered", {"close", "reopen"}),
        ("closed", {"reopen"}),
    ],
)
def test_the_appeal_page_shows_next_steps_and_never_a_form_without_a_button(
    clerk, territory, korday_department, status, buttons
):
    user, client = clerk
    appeal = _appeal(user, territory, korday_department)
    Appeal.objects.filter(pk=appeal.pk).update(status=status)
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert 'id="next-hint"' in page
    shown = set(re.findall(r'<button name="action" value="(\w+)"', page))
    assert shown == buttons
    assert ('id="id_comment"' in page) == bool(shown)


def test_an_answered_appeal_shows_no_comment_box_to_one_who_may_not_close(
    territory, korday_department, make_user
):
    """The complaint: a specialist saw a comment box on an answered appeal and no button to press."""
    from kelisim.accounts import policies

    appeal = _appeal(make_user("district_coordinator", KORDAY), territory, korday_department)
    Appeal.objects.filter(pk=appeal.pk).update(status="answered")
    specialist = make_user("specialist", KORDAY)
    assert policies.can(specialist, "manage_appeal", appeal.territory)
    assert not policies.can(specialist, "close_appeal", appeal.territory)
    client = Client()
    client.force_login(specialist)
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert 'id="id_comment"' not in page and 'name="action"' not in page and 'id="next-hint"' in page


def test_a_visit_status_change_and_a_closed_survey_link_are_confirmed(clerk, territory, seed_visit):
    user, client = clerk
    visit = seed_visit
    from kelisim.programs.services import TRANSITIONS

    target = sorted(TRANSITIONS.get(visit.Status(visit.status), set()))[0]
    said = _said(client.post(f"/visits/{visit.pk}/status/", {"status": target}, follow=True))
    assert [level for level, _text in said] == ["success"], said

    from kelisim.surveys import services as surveys
    from kelisim.surveys.models import CollectionLink, Instrument

    surveys.instruments_install_ready()
    link = surveys.collection_link_create(
        actor=user, instrument=Instrument.objects.get(code="tolerance_index"), territory=territory(KORDAY)
    )
    said = _said(client.post(f"/surveys/links/{link.pk}/close/", follow=True))
    assert [level for level, _text in said] == ["success"] and "closed" in said[0][1], said
    assert not CollectionLink.objects.get(pk=link.pk).is_active
