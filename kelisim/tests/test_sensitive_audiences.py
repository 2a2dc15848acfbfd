"""A sensitive audience (persons on probation) on an open event: its name and count reach only
holders of the sensitive capability, on the page, in the CSV and XLSX exports and the visit report."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from kelisim.accounts.models import User
from kelisim.events.models import AudienceCategory, EventAudience


@pytest.fixture
def probation_at_open_event(seed_visit):
    event = seed_visit.events.filter(restricted=False).order_by("pk").first()
    category = AudienceCategory.objects.filter(sensitive=True).first()
    assert event is not None and category is not None
    EventAudience.objects.update_or_create(event=event, category=category, defaults={"count": 7})
    return event, category


def _texts(client: Client, event, visit) -> dict[str, str]:  # type: ignore[no-untyped-def]
    xlsx = client.get("/calendar/export.xlsx", {"visit": visit.pk})
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    cells = " ".join(str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r if v)
    report = client.get(f"/visits/{visit.pk}/report.xlsx")
    report_book = load_workbook(io.BytesIO(report.content), read_only=True)
    report_cells = " ".join(
        str(v) for s in report_book.worksheets for r in s.iter_rows(values_only=True) for v in r if v
    )
    return {
        "page": client.get(f"/events/{event.pk}/").content.decode(),
        "csv": client.get("/calendar/export.csv", {"visit": visit.pk}).content.decode("utf-8-sig"),
        "xlsx": cells,
        "report": report_cells,
    }


@pytest.mark.parametrize(("username", "sees"), [("analyst.zhambyl", False), ("coordinator.zhambyl", True)])
def test_a_sensitive_audience_reaches_only_holders_of_the_capability(
    seed_visit, probation_at_open_event, username, sees
):
    event, category = probation_at_open_event
    client = Client()
    client.force_login(User.objects.get(username=username))
    texts = _texts(client, event, seed_visit)
    assert event.title in texts["csv"] and event.title in texts["xlsx"]  # the event itself is there
    for where, text in texts.items():
        assert (category.name_kk in text) is sees, where


def test_the_dashboard_total_counts_a_sensitive_audience_only_for_its_holders(
    seed_visit, probation_at_open_event
):
    from datetime import date

    from kelisim.reports import dashboards

    def reached(username: str) -> int:
        user = User.objects.get(username=username)
        board = dashboards.build(
            user=user, territory=None, date_from=date(2023, 1, 1), date_to=date(2023, 12, 31)
        )
        return board.people_reached

    with_row = {name: reached(name) for name in ("analyst.zhambyl", "coordinator.zhambyl")}
    event, category = probation_at_open_event
    EventAudience.objects.filter(event=event, category=category).delete()
    # The analyst's total did not hold the probation count (or removing it would show the count).
    assert reached("analyst.zhambyl") == with_row["analyst.zhambyl"]
    assert reached("coordinator.zhambyl") == with_row["coordinator.zhambyl"] - 7
