"""Fixtures shared by every app's tests: a slice of the real classifier, roles, and people."""

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

from kelisim.accounts.models import Department, Role, User
from kelisim.accounts.services import membership_grant, roles_sync
from kelisim.territories import kato
from kelisim.territories.models import Territory
from kelisim.territories.services import territories_load


class _OneRequestAtATime(ThreadedWSGIServer):
    """The browser tests' live server, taking one request at a time on SQLite.

    An in-memory SQLite database is one connection, which Django hands to every thread of the live
    server. A browser sends requests side by side (a page, its service worker, an offline desk's
    sync), and two atomic blocks on one connection release each other's savepoints ("no such
    savepoint"). Production has a connection per thread; PostgreSQL runs keep theirs in parallel."""

    def set_app(self, application: Any) -> None:
        if connection.vendor != "sqlite":
            return super().set_app(application)
        lock = threading.Lock()

        def serial(environ, start_response):  # type: ignore[no-untyped-def]
            with lock:
                return application(environ, start_response)

        return super().set_app(serial)


LiveServerThread.server_class = _OneRequestAtATime  # type: ignore[attr-defined]

DATA = Path(__file__).parent / "territories" / "data"
KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"
SORTOBE_OKRUG = "314854000"


@pytest.fixture(scope="session")
def zhambyl_units() -> list[kato.Unit]:
    units = kato.parse((DATA / "kato_2022-10-17_ru.csv").read_text(encoding="utf-8"))
    return [u for u in units if u.code.startswith("31")]


@pytest.fixture(scope="session")
def kk_names() -> dict[str, tuple[str, str]]:
    return kato.parse_names((DATA / "names_kk_zhambyl.csv").read_text(encoding="utf-8"))


@pytest.fixture
def zhambyl(db: None, zhambyl_units: list[kato.Unit], kk_names: dict[str, tuple[str, str]]) -> Territory:
    """Zhambyl region from the shipped classifier (577 units), with Kazakh names, and the roles."""
    from django.apps import apps

    from kelisim.appeals.seed_lists import ensure_lists as ensure_appeal_lists
    from kelisim.events.seed_lists import ensure_lists
    from kelisim.notices.seed_texts import ensure_texts as ensure_notice_texts

    territories_load(units=zhambyl_units, classifier_date=date(2022, 10, 17), source="test", names=kk_names)
    roles_sync()
    ensure_lists(apps)  # transactional (browser) tests flush the rows the data migration made
    ensure_appeal_lists(apps)
    ensure_notice_texts(apps)
    return Territory.objects.get(code=ZHAMBYL)


@pytest.fixture
def territory(zhambyl: Territory) -> Callable[[str], Territory]:
    return lambda code: Territory.objects.get(code=code)


@pytest.fixture
def make_user(zhambyl: Territory) -> Callable[..., User]:
    """A user holding `role` on the territory with `code` (None: no membership at all)."""
    counter = iter(range(1, 10_000))

    def make(role: str | None, code: str | None = None, *, password: str = "pass-word-123") -> User:
        user = User.objects.create_user(
            username=f"{role or 'nobody'}-{code or 'all'}-{next(counter)}", password=password
        )
        if role:
            where = Territory.objects.get(code=code) if code else None
            membership_grant(actor=None, user=user, role=Role.objects.get(code=role), territory=where)
        return user

    return make


@pytest.fixture
def korday_department(zhambyl: Territory) -> Department:
    return Department.objects.create(
        code="korday_culture",
        kind=Department.Kind.DIVISION,
        name_kk="Қордай ауданының мәдениет бөлімі",
        name_ru="Отдел культуры Кордайского района",
        territory=Territory.objects.get(code=KORDAY),
    )


@pytest.fixture
def shu_department(zhambyl: Territory) -> Department:
    return Department.objects.create(
        code="shu_culture",
        kind=Department.Kind.DIVISION,
        name_kk="Шу ауданының мәдениет бөлімі",
        name_ru="Отдел культуры Шуского района",
        territory=Territory.objects.get(code=SHU),
    )


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Messages raised outside a request read in English in assertions; requests pick their own."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def seed_visit(zhambyl: Territory):  # type: ignore[no-untyped-def]
    """The demo: departments, accounts and the seed's Korday visit of 10–12 May 2023."""
    from kelisim.demo.services import demo_load
    from kelisim.programs.models import Visit

    demo_load()
    return Visit.objects.get(territory__code=KORDAY, date_start=date(2023, 5, 10))


@pytest.fixture(autouse=True)
def _fresh_read_calendar():
    """A test's rolled-back transfers must not linger in the per-process read cache of the calendar."""
    from kelisim.appeals import deadlines

    deadlines.forget_cached_calendar()
    yield
    deadlines.forget_cached_calendar()
