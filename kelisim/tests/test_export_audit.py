"""Every export is written to the audit log: who took which data out, with which filters, how many rows.

The appeals XLSX holds applicants' names and phones; an export that leaves no trace is a leak
nobody can find afterwards. Filters are recorded as codes and identifiers only: a search text
typed into the appeal list is recorded as "a text was given", never as the text.
"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver
from openpyxl import load_workbook

from kelisim.accounts.models import User
from kelisim.appeals.models import Appeal
from kelisim.core.models import AuditEntry
from kelisim.events.models import CalendarFeed, Event
from kelisim.registry.models import Person
from kelisim.reports.models import PressRelease
from kelisim.surveys.models import Instrument
from kelisim.territories.models import Territory

KORDAY, ZHAMBYL = "314800000", "310000000"


def _rows_in(name: str, body: bytes) -> int:
    if name.endswith(".xlsx"):
        return sum(sheet.max_row - 1 for sheet in load_workbook(io.BytesIO(body)).worksheets[:1])
    if name.endswith(".csv"):
        return body.decode("utf-8-sig").strip().count("\n")
    return body.count(b"BEGIN:VEVENT")


def _export_entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(kind="export").order_by("id"))


@pytest.fixture
def admin(seed_visit) -> User:  # type: ignore[no-untyped-def]
    return User.objects.get(username="admin")


@pytest.fixture
def staff(admin) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(admin)
    return client


def _web_exports(visit) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    """(url, action, format, object) of every export a signed-in person can download."""
    instrument = Instrument.objects.get(code="tolerance_index")
    release = PressRelease.objects.filter(visit=visit).first()
    assert release is not None
    return [
        ("/appeals/export.xlsx", "export.appeals", "xlsx", ""),
        ("/calendar/export.csv", "export.events", "csv", ""),
        ("/calendar/export.xlsx", "export.events", "xlsx", ""),
        (f"/api/v1/visits/{visit.pk}/calendar.ics", "export.events", "ics", f"programs.visit#{visit.pk}"),
        (f"/visits/{visit.pk}/report.docx", "export.visit_report", "docx", f"programs.visit#{visit.pk}"),
        (f"/visits/{visit.pk}/report.pdf", "export.visit_report", "pdf", f"programs.visit#{visit.pk}"),
        (f"/visits/{visit.pk}/report.xlsx", "export.visit_report", "xlsx", f"programs.visit#{visit.pk}"),
        (
            f"/visits/{visit.pk}/press-release/{release.pk}.docx",
            "export.press_release",
            "docx",
            f"reports.pressrelease#{release.pk}",
        ),
        (
            f"/visits/{visit.pk}/press-release/{release.pk}.txt",
            "export.press_release",
            "txt",
            f"reports.pressrelease#{release.pk}",
        ),
        (
            f"/surveys/{instrument.pk}/responses.csv",
            "export.survey_responses",
            "csv",
            f"surveys.instrument#{instrument.pk}",
        ),
        (
            f"/surveys/{instrument.pk}/responses.xlsx",
            "export.survey_responses",
            "xlsx",
            f"surveys.instrument#{instrument.pk}",
        ),
        (
            f"/surveys/{instrument.pk}/aggregates.csv",
            "export.survey_aggregates",
            "csv",
            f"surveys.instrument#{instrument.pk}",
        ),
        (
            f"/surveys/{instrument.pk}/aggregates.xlsx",
            "export.survey_aggregates",
            "xlsx",
            f"surveys.instrument#{instrument.pk}",
        ),
    ]


def test_every_web_export_writes_who_what_and_how_many_rows(seed_visit, admin, staff):
    from kelisim.reports.services import press_release_generate

    press_release_generate(actor=admin, visit=seed_visit, language="kk")
    exports = _web_exports(seed_visit)
    for url, action, fmt, obj in exports:
        before = len(_export_entries())
        response = staff.get(url)
        assert response.status_code == 200, url
        entries = _export_entries()
        assert len(entries) == before + 1, f"{url} wrote no audit entry"
        entry = entries[-1]
        assert (entry.action, entry.actor_id, entry.params["format"]) == (action, admin.pk, fmt), url
        if obj:
            assert f"{entry.object_type}#{entry.object_id}" == obj, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if action == "export.visit_report":
            assert entry.params["rows"] == Event.objects.filter(visit=seed_visit).count(), url
        elif fmt in ("csv", "xlsx", "ics") and action != "export.survey_aggregates":
            assert entry.params["rows"] == _rows_in(url, body), url
        else:
            assert entry.params["rows"] >= 1, url


def test_the_personal_calendar_feed_is_an_export_of_its_owner(seed_visit, admin):
    feed = CalendarFeed.objects.create(user=admin, token="t" * 40)
    response = Client().get(f"/calendar/feed/{feed.token}.ics")
    assert response.status_code == 200
    entry = _export_entries()[-1]
    assert (entry.action, entry.actor_id, entry.params["format"]) == ("export.events_feed", admin.pk, "ics")
    assert entry.params["rows"] == response.content.count(b"BEGIN:VEVENT")


def test_export_filters_are_recorded_as_codes_and_a_search_text_only_as_given(seed_visit, staff):
    response = staff.get(
        "/appeals/export.xlsx",
        {"territory": KORDAY, "status": "registered", "overdue": "true", "q": "Сейітова +7 701"},
    )
    assert response.status_code == 200
    entry = _export_entries()[-1]
    rows = Appeal.objects.filter(territory__code=KORDAY, status="registered").count()
    assert entry.params["rows"] == _rows_in("a.xlsx", response.content) <= rows
    assert entry.params["filter_territory"] == KORDAY
    assert entry.params["filter_status"] == "registered"
    assert entry.params["filter_overdue"] is True
    assert entry.params["filter_q"] is True  # a search text was given; what it was is not kept
    assert "Сейітова" not in json.dumps(entry.params, ensure_ascii=False)
    assert entry.territory_path == Territory.objects.get(code=KORDAY).path

    events = staff.get("/calendar/export.csv", {"territory": KORDAY, "format": "meeting"})
    assert events.status_code == 200
    entry = _export_entries()[-1]
    assert entry.params["filter_territory"] == KORDAY


def test_export_commands_are_audited_too(seed_visit, tmp_path: Path, capsys):
    person = Person.objects.first()
    assert person is not None
    before = len(_export_entries())
    call_command("person_export", "--person", str(person.pk))
    call_command(
        "visit_report",
        "--visit",
        str(seed_visit.pk),
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "r.xlsx"),
    )
    call_command("summary", "--region", ZHAMBYL, "--period", "2023-05", "--output-dir", str(tmp_path))
    entries = _export_entries()[before:]
    assert [(e.action, e.params["format"], e.params["source"]) for e in entries] == [
        ("export.person", "json", "command"),
        ("export.visit_report", "xlsx", "command"),
        ("export.summary", "xlsx", "command"),
        ("export.summary", "docx", "command"),
    ]
    assert (entries[0].object_type, entries[0].object_id) == ("registry.person", str(person.pk))
    assert entries[1].params["rows"] == Event.objects.filter(visit=seed_visit).count()


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_an_export_of_everything(zhambyl, tmp_path: Path):
    before = len(_export_entries())
    call_command("backup", str(tmp_path / "backup.zip"), stdout=io.StringIO())
    entries = _export_entries()[before:]
    assert [(e.action, e.params["format"], e.params["source"]) for e in entries] == [
        ("export.backup", "zip", "command")
    ]
    assert entries[0].params["rows"] > 500  # the classifier's units at least


def test_every_download_address_is_one_of_the_audited_exports(seed_visit):
    """A new download added to urls.py without an audit entry shows up here."""
    audited = {
        "appeal-export",
        "events-export",
        "feed",
        "visit-calendar-ics",
        "visit-report",
        "press-release-download",
        "survey-export",
    }
    # Downloads that export no personal data or records of others: the uploaded file itself, the
    # form definition, a receipt for the applicant in front of the clerk.
    # (and the form that makes a new secret address for the feed).
    not_exports = {"attachment-download", "instrument-download", "appeal-receipt-pdf", "feed-renew"}
    names = set()
    for pattern in get_resolver().url_patterns:
        names |= _names(pattern)
    words = {"export", "download", "report", "ics", "feed", "pdf", "csv", "xlsx"}
    downloads = {n for n in names if words & set(n.split("-"))}
    assert downloads - not_exports == audited


def _names(pattern) -> set[str]:  # type: ignore[no-untyped-def]
    if hasattr(pattern, "url_patterns"):
        found = set()
        for inner in pattern.url_patterns:
            found |= _names(inner)
        return found
    return {pattern.name} if getattr(pattern, "name", None) else set()
