"""The demo shows work in hand on the day it is loaded, not only the 2023 visit."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from kelisim.appeals.models import Appeal
from kelisim.demo.services import demo_load
from kelisim.programs.models import Visit
from kelisim.programs.selectors import plan_table

SHU, MERKI = "316600000", "315400000"
OPEN = [Appeal.Status.REGISTERED, Appeal.Status.ASSIGNED, Appeal.Status.IN_PROGRESS, Appeal.Status.EXTENDED]


def test_the_queue_holds_this_weeks_work_not_years_old_appeals(seed_visit):
    today = timezone.localdate()
    friday = today + timedelta(days=4 - today.weekday()) if today.weekday() < 5 else today
    open_appeals = Appeal.objects.filter(status__in=OPEN)

    assert not open_appeals.filter(received_on__year__lt=today.year - 1).exists()
    assert not open_appeals.filter(due_date__lt=today - timedelta(days=30)).exists()
    assert open_appeals.filter(due_date__lt=today).exists()  # some overdue
    assert open_appeals.filter(
        due_date__gte=today, due_date__lte=max(friday, today + timedelta(days=3))
    ).exists()
    assert open_appeals.filter(due_date__gt=today).exists()
    assert open_appeals.filter(status=Appeal.Status.EXTENDED).exists()


def test_a_visit_next_week_is_being_planned_and_is_not_counted_as_held(seed_visit, make_user):
    today = timezone.localdate()
    upcoming = Visit.objects.get(territory__code=MERKI, date_start__gt=today)

    assert upcoming.status == Visit.Status.PLANNED
    assert (upcoming.date_start - today).days <= 7
    assert upcoming.members.count() >= 3 and upcoming.subgroups.filter(lead__isnull=False).exists()
    assert upcoming.events.count() >= 2
    table = plan_table(
        user=make_user("regional_coordinator", "310000000"), year_from=today.year, year_to=today.year
    )
    rows = {r.district.code: r for r in table.rows}
    if upcoming.date_start.year == today.year:
        assert (rows[MERKI].held, rows[MERKI].upcoming) == (0, 1)


def test_the_recent_visit_was_held_and_its_receptions_belong_to_it(seed_visit):
    held = Visit.objects.get(territory__code=SHU, date_end__lt=timezone.localdate())

    assert held.status == Visit.Status.COMPLETED
    assert held.receptions.count() >= 3
    assert Appeal.objects.filter(visitor__session__visit=held).count() >= 5
    today = timezone.localdate()
    due = Appeal.objects.filter(visitor__session__visit=held, extension_reason="").values_list(
        "due_date", flat=True
    )
    assert all(today - timedelta(days=5) <= day <= today + timedelta(days=7) for day in due)  # due about now


def test_loading_again_adds_nothing(seed_visit):
    counts = (Visit.objects.count(), Appeal.objects.count())
    demo_load()
    assert (Visit.objects.count(), Appeal.objects.count()) == counts


def test_the_queue_page_of_the_shu_coordinator_shows_current_appeals(seed_visit):
    from kelisim.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="coordinator.shu"))
    body = client.get("/appeals/queue/").content.decode()
    shu_open = Appeal.objects.filter(status__in=OPEN, territory__path__contains="316600000/").count()
    assert shu_open >= 5
    assert "870" not in body
    mine = Appeal.objects.filter(status__in=OPEN, lead_executor__username="coordinator.shu")
    assert mine.count() >= 3
    for number in mine.values_list("number", flat=True):
        assert number in body
