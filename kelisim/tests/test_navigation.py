"""The menu is built from the user's capabilities: a link shows only where its page answers 200.

Every demo role (and a viewer, who holds nothing but the territories) signs in; every link in the
page header must answer 200 for them, and every page of the full menu that is missing from their
header must be one they cannot open.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client

from kelisim.accounts.models import User

DEMO_ROLES = {
    "admin": "system_admin",
    "coordinator.zhambyl": "regional_coordinator",
    "coordinator.korday": "district_coordinator",
    "specialist.korday": "specialist",
    "analyst.zhambyl": "analyst",
    "press.zhambyl": "press_officer",
}


class _HeaderLinks(HTMLParser):
    """The href of every <a> inside the page's <header>."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "header":
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href") or ""
            if href.startswith("/"):
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "header":
            self.depth -= 1


def header_links(html: str) -> list[str]:
    parser = _HeaderLinks()
    parser.feed(html)
    return parser.links


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _users(make_user) -> dict[str, User]:  # type: ignore[no-untyped-def]
    users = {name: User.objects.get(username=name) for name in DEMO_ROLES}
    users["viewer"] = make_user("viewer", "314800000")
    users["nobody"] = make_user(None)
    return users


@pytest.mark.django_db
def test_every_link_in_the_header_answers_200_for_every_demo_role(seed_visit, make_user):
    for name, user in _users(make_user).items():
        client = _client(user)
        links = header_links(client.get("/").content.decode())
        assert links, name
        for href in links:
            assert client.get(href).status_code == 200, (name, href)


@pytest.mark.django_db
def test_a_page_missing_from_a_roles_menu_is_one_the_role_cannot_open(seed_visit, make_user):
    users = _users(make_user)
    everything = set(header_links(_client(users["admin"]).get("/").content.decode()))
    assert {"/imports/", "/audit/", "/receptions/", "/appeals/queue/", "/dashboard/"} <= everything
    for name, user in users.items():
        client = _client(user)
        shown = set(header_links(client.get("/").content.decode()))
        for href in everything - shown:
            assert client.get(href).status_code != 200, (name, href)


@pytest.mark.django_db
def test_roles_see_only_their_pages_in_the_menu(seed_visit, make_user):
    users = _users(make_user)
    menus = {name: set(header_links(_client(u).get("/").content.decode())) for name, u in users.items()}
    assert "/audit/" in menus["coordinator.zhambyl"] and "/audit/" not in menus["coordinator.korday"]
    assert "/imports/" in menus["press.zhambyl"] and "/imports/" not in menus["specialist.korday"]
    assert "/receptions/" in menus["specialist.korday"] and "/receptions/" not in menus["press.zhambyl"]
    assert "/appeals/queue/" in menus["analyst.zhambyl"] and "/appeals/queue/" not in menus["viewer"]
    # One "Administration" entry: the system administrator's and the regional coordinator's, each
    # opening only what they manage; a press officer of one region manages nothing.
    assert "/manage/" in menus["admin"] and "/manage/" in menus["coordinator.zhambyl"]
    assert "/manage/" not in menus["press.zhambyl"] and "/manage/" not in menus["viewer"]
    assert menus["nobody"] <= {"/", "/search/", "/territories/", "/accounts/tokens/"}


def test_anonymous_header_offers_sign_in_and_no_menu(client, db):
    links = header_links(client.get("/").content.decode())
    assert "/accounts/login/" in links
    assert "/dashboard/" not in links and "/search/" not in links


def test_no_menu_until_the_second_factor_is_verified(client, make_user, settings):
    # Every page but the set-up would redirect there: links to them would only mislead.
    settings.KELISIM_REQUIRE_2FA = True
    client.force_login(make_user("regional_coordinator", "310000000"))
    response = client.get("/accounts/2fa/")
    assert response.status_code == 200
    assert header_links(response.content.decode()) == ["/"]
