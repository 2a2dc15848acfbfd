"""Privacy: retention, the right of access, and no personal data in logs or audit parameters."""

import json
import logging
from datetime import UTC, date, datetime, timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kelisim.appeals.models import Appeal, Visitor
from kelisim.core.models import AuditEntry
from kelisim.registry.models import Person


def _demo_secrets() -> list[str]:
    names = [v.name for v in Visitor.objects.exclude(name="")] + list(
        Appeal.objects.exclude(applicant_name="").values_list("applicant_name", flat=True)
    )
    phones = [v.contact for v in Visitor.objects.exclude(contact="")]
    return [s for s in {*names, *phones} if s]


def test_no_personal_data_reaches_the_logs_or_the_audit_log(
    seed_visit, make_user, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    secrets = _demo_secrets()
    assert len(secrets) > 20  # the demo has named visitors and phone numbers to look for
    client = Client()
    client.force_login(make_user("regional_coordinator", "310000000"))
    pages = [
        "/appeals/",
        "/appeals/queue/",
        "/receptions/",
        f"/visits/{seed_visit.pk}/",
        "/dashboard/",
        "/api/v1/appeals/",
        "/search/?q=өтініш",
        "/appeals/export.xlsx",
        "/nonexistent/",
    ]
    pages += [f"/appeals/{pk}/" for pk in Appeal.objects.values_list("pk", flat=True)[:5]]
    pages += [f"/receptions/{s}/" for s in Visitor.objects.values_list("session_id", flat=True)[:3]]
    for page in pages:
        client.get(page)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", stdout=StringIO())
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    audit = json.dumps(list(AuditEntry.objects.values_list("params", flat=True)), ensure_ascii=False)
    for secret in secrets:
        assert secret not in logged, "personal data in the logs"
        assert secret not in audit, "personal data in the audit log"
    assert mail.outbox == [] or all(s not in m.subject for m in mail.outbox for s in secrets)


def test_purge_is_a_dry_run_by_default_and_keeps_the_statistics(seed_visit):
    closed = Appeal.objects.filter(status__in=["closed", "answered", "redirected"])
    assert closed.exists()
    Appeal.objects.update(closed_on=date(2018, 1, 1), answered_on=date(2018, 1, 1))
    counts_before = (Appeal.objects.count(), Visitor.objects.count())
    out = StringIO()
    call_command("purge", "--older-than", "5", stdout=out)
    assert "--commit" in out.getvalue()
    assert Appeal.objects.filter(anonymized=True).count() == 0
    call_command("purge", "--older-than", "5", "--commit", stdout=out)
    assert (Appeal.objects.count(), Visitor.objects.count()) == counts_before
    for appeal in closed:
        appeal.refresh_from_db()
        assert appeal.anonymized and appeal.applicant_contact == "" and appeal.applicant_name == "—"
    open_ones = Appeal.objects.exclude(status__in=["closed", "answered", "redirected"])
    assert open_ones.filter(anonymized=False).count() == open_ones.count()  # open cases keep their applicants
    assert all(v.name == "" for v in Visitor.objects.filter(anonymized=True))


def test_purge_clears_the_reasons_written_when_an_outcome_was_corrected(seed_visit):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kelisim.appeals.models import ReceptionSession, VisitorOutcomeChange

    visitor = Visitor.objects.filter(appeal__isnull=True).order_by("pk").first()
    long_ago = datetime(2018, 3, 1, 10, tzinfo=ZoneInfo("Asia/Almaty"))
    ReceptionSession.objects.filter(pk=visitor.session_id).update(start=long_ago, end=long_ago)
    change = VisitorOutcomeChange.objects.create(
        visitor=visitor,
        from_outcome="advice",
        to_outcome="redirected",
        redirected_to="Полиция",
        reason="Айгүл Демоқызы інісі туралы айтты",
    )
    call_command("purge", "--older-than", "5", "--commit", stdout=StringIO())
    visitor.refresh_from_db()
    change.refresh_from_db()
    assert visitor.anonymized and visitor.name == ""
    assert change.reason == "" and change.redirected_to == ""


def test_recent_cases_are_not_purged(seed_visit):
    Appeal.objects.update(closed_on=timezone.localdate() - timedelta(days=30))
    call_command("purge", "--older-than", "5", "--commit", stdout=StringIO())
    assert not Appeal.objects.filter(anonymized=True).exists()


def test_person_export_writes_everything_held_about_one_person(seed_visit):
    person = Person.objects.get(full_name="Қ.Ырысдәулет")
    out = StringIO()
    call_command("person_export", "--person", str(person.pk), stdout=out)
    record = json.loads(out.getvalue())
    assert record["person"]["full_name"] == "Қ.Ырысдәулет"
    assert len(record["events"]) == 2 and record["working_groups"] and record["positions"]


def test_security_md_lists_the_locked_version_of_every_direct_dependency():
    import re
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + project["optional-dependencies"]["dev"]
    locked = dict(
        line.strip().lower().replace("_", "-").split("==")
        for line in (root / "requirements.lock").read_text().splitlines()
        if "==" in line
    )
    listed = dict(
        re.findall(r"^\| ([a-z0-9.-]+) \| ([^ |]+) \|", (root / "docs/security.md").read_text(), re.M)
    )
    for requirement in direct:
        name = re.split(r"[<>=\[ ;]", requirement)[0].lower().replace("_", "-")
        assert listed.get(name) == locked[name], name


def test_purge_removes_sign_ups_of_receptions_past_the_retention_period(seed_visit):
    from kelisim.appeals.models import ConsentText, PreRegistration, ReceptionSession

    consent = ConsentText.objects.first()
    sessions = list(ReceptionSession.objects.order_by("pk")[:2])
    old, recent = sessions
    for session in sessions:
        PreRegistration.objects.create(
            session=session,
            name="Айгүл",
            phone="+77011234567",
            topic="Су",
            consent=consent,
            consent_at=datetime.now(UTC),
        )
    ReceptionSession.objects.filter(pk=old.pk).update(
        start=datetime(2018, 1, 1, 9, tzinfo=UTC), end=datetime(2018, 1, 1, 12, tzinfo=UTC)
    )
    ReceptionSession.objects.filter(pk=recent.pk).update(end=datetime.now(UTC))
    call_command("purge", "--older-than", "5", stdout=StringIO())
    assert PreRegistration.objects.count() == 2  # a dry run by default
    call_command("purge", "--older-than", "5", "--commit", stdout=StringIO())
    assert list(PreRegistration.objects.values_list("session", flat=True)) == [recent.pk]
