"""Every page of every role, in Kazakh and in Russian, says things in words: no stored code
(`in_progress`), no login for a person, no ISO date, no English.

The pages are found the way a person finds them: from the menu, following the links of each page
two steps deep, one page per route (`/appeals/12/` stands for every appeal), plus the pages behind
the demo's records that no menu reaches.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from kelisim.accounts.models import User
from kelisim.accounts.navigation import menu_for
from kelisim.tests.pages import deep_pages
from kelisim.tests.raw_values import raw_values, visible_text

ROLES = (
    "admin",
    "coordinator.zhambyl",
    "coordinator.korday",
    "specialist.korday",
    "analyst.zhambyl",
    "press.zhambyl",
)
HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')
# Django's own admin site (/admin/, staff only) speaks Django's words, not ours.
NOT_PAGES = re.compile(
    r"^/admin/|/(logout|i18n|media|static|api|openrosa|open311)/|\.(pdf|docx|xlsx|csv|ics|png|svg|xml)$|/export|/download"
)


def _route(url: str) -> str:
    return re.sub(r"/\d+(?=/)", "/N", urlsplit(url).path)


def _links(html: str) -> list[str]:
    return [url for url in HREF.findall(html) if "?" not in url and not NOT_PAGES.search(url)]


def _crawl(client: Client, start: list[str], depth: int = 2) -> dict[str, str]:
    """Route → the text of the first page seen on it."""
    seen: dict[str, str] = {}
    frontier = list(start)
    for _step in range(depth + 1):
        following: list[str] = []
        for url in frontier:
            route = _route(url) + ("?" + urlsplit(url).query if urlsplit(url).query else "")
            if route in seen:
                continue
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                seen[route] = ""
                continue
            html = response.content.decode()
            seen[route] = f"{url}\n{visible_text(html)}"
            following += _links(html)
        frontier = following
    return seen


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_page_of_every_role_says_things_in_words(seed_visit, language):
    logins = set(User.objects.values_list("username", flat=True))
    deep = deep_pages(seed_visit)
    problems: list[str] = []
    pages = 0
    for username in ROLES:
        user = User.objects.get(username=username)
        User.objects.filter(pk=user.pk).update(language=language)
        client = Client()
        client.force_login(user)
        start = ["/", *(link.url for link in menu_for(user)), *deep]
        for page in _crawl(client, start).values():
            if not page:
                continue
            pages += 1
            url, text = page.split("\n", 1)
            problems += [f"{username} {url}: {found}" for found in raw_values(text, logins)]
    assert pages > 120, pages
    assert not problems, f"{len(problems)} raw values:\n" + "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_public_pages_say_things_in_words(seed_visit, language):
    """The visit's public page, its poster, a sign-up, the status lookup, and the desk's list of
    sign-ups, as a citizen (no account) and the desk see them."""
    from datetime import timedelta

    from django.utils import timezone

    from kelisim.appeals.models import Appeal, ConsentText, PreRegistration, ReceptionSession
    from kelisim.programs.services import visit_set_public

    admin = User.objects.get(username="admin")
    visit = visit_set_public(actor=admin, visit=seed_visit, public=True)
    earlier = ReceptionSession.objects.filter(visit=visit).order_by("pk").first()
    later = timezone.now() + timedelta(days=2)
    upcoming = ReceptionSession.objects.create(
        visit=visit,
        department=earlier.department,
        territory=earlier.territory,
        place=earlier.place,
        start=later,
        end=later + timedelta(hours=2),
    )
    PreRegistration.objects.create(
        session=earlier,
        name="Айгүл Серікова",
        phone="+7 701 123 45 67",
        topic="Жол жөндеу",
        consent=ConsentText.objects.filter(is_active=True).get(),
        consent_at=timezone.now(),
    )
    appeal = Appeal.objects.order_by("pk").first()
    citizen = Client()
    citizen.cookies["kelisim_language"] = language
    slug = visit.public_slug
    answers = [
        citizen.get(f"/p/{slug}/"),
        citizen.get(f"/p/{slug}/poster/"),
        citizen.get(f"/p/{slug}/receptions/{upcoming.pk}/"),
        citizen.post(f"/p/{slug}/receptions/{upcoming.pk}/", {"phone": "12"}),
        citizen.get("/status/"),
        citizen.post("/status/", {"number": appeal.number, "code": appeal.public_code}),
        citizen.post("/status/", {"number": appeal.number, "code": "WRONG"}),
        citizen.post("/status/", {}),
    ]
    desk_user = User.objects.get(username="coordinator.korday")
    User.objects.filter(pk=desk_user.pk).update(language=language)
    desk = Client()
    desk.force_login(desk_user)
    answers.append(desk.get(f"/receptions/{earlier.pk}/"))
    answers.append(desk.get(f"/visits/{visit.pk}/"))
    logins = set(User.objects.values_list("username", flat=True))
    problems = []
    for response in answers:
        assert response.status_code == 200, response.request["PATH_INFO"]
        problems += [
            f"{response.request['PATH_INFO']}: {found}"
            for found in raw_values(visible_text(response.content.decode()), logins)
        ]
    assert not problems, "\n".join(problems)
