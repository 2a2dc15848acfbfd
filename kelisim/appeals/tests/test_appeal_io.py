"""Appeals in and out: the deadline command, imports, exports, receipts, Open311, reminders."""

import io
import json
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from openpyxl import Workbook, load_workbook

from kelisim.appeals import services
from kelisim.appeals.models import Appeal, Category, Open311Key
from kelisim.appeals.services import key_hash
from kelisim.core.models import Job

KORDAY, SHU = "314800000", "316600000"


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        ("2024-12-27", None, "2025-01-22"),
        ("2023-05-10", None, "2023-05-31"),
        ("2025-03-19", "3", "2025-03-27"),
    ],
)
def test_deadline_command_prints_the_iso_due_date(db, received, days, due):
    out = StringIO()
    call_command("deadline", "--received", received, *(["--days", days] if days else []), stdout=out)
    assert out.getvalue().strip() == due


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "external_number",
            "type",
            "channel",
            "applicant_name",
            "territory",
            "department",
            "text",
            "received_on",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _good(n: int) -> list[object]:
    return [
        f"ЖТ-{n}",
        "statement",
        "eotinish",
        f"Демо Өтініш беруші {n}",
        KORDAY,
        "korday_culture",
        "Мәтін",
        "2024-03-01",
    ]


def test_import_with_one_bad_row_imports_nothing_and_names_the_row_and_field(
    make_user, korday_department, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(make_user("district_coordinator", KORDAY))
    content = _xlsx([_good(1), _good(2), [*_good(3)[:4], "999999999", *_good(3)[5:]], _good(4)])
    upload = io.BytesIO(content)
    upload.name = "appeals.xlsx"
    with django_capture_on_commit_callbacks(execute=True):  # the check runs as a background job
        checked = client.post("/appeals/import/", {"file": upload})
    body = client.get(checked.url).content.decode()
    assert "Row 4" in body or "4" in body
    assert "territory" in body
    assert not Appeal.objects.exists()


def test_import_preview_then_commit_registers_every_row(
    make_user, korday_department, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(make_user("district_coordinator", KORDAY))
    upload = io.BytesIO(_xlsx([_good(n) for n in range(1, 6)]))
    upload.name = "appeals.xlsx"
    with django_capture_on_commit_callbacks(execute=True):  # the check runs as a background job
        checked = client.post("/appeals/import/", {"file": upload})
    job = Job.objects.get()
    assert checked.url == f"/jobs/{job.pk}/" and job.status == Job.Status.DONE
    preview = client.get(job.next_url)
    assert preview.context["count"] == 5 and len(preview.context["rows"]) == 5
    token = preview.context["token"]
    assert not Appeal.objects.exists()  # a preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/appeals/import/", {"token": token})
    assert response.status_code == 302 and response.url.startswith("/jobs/")
    job_page = client.get(response.url).content.decode()
    # In the requester's language (Kazakh unless they chose otherwise), as the job ran for them.
    assert "Импортталған өтініштер саны: 5." in job_page and 'href="/appeals/"' in job_page
    assert sorted(Appeal.objects.values_list("external_number", flat=True)) == [
        f"ЖТ-{n}" for n in range(1, 6)
    ]
    exported = client.get("/appeals/export.xlsx")
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert len(rows) == 6 and rows[0][0] == "тіркеу нөмірі"  # in the reader's words


def test_an_exported_file_in_words_imports_back_as_it_is(make_user, korday_department, territory):
    """Headings, types, channels and departments written in Russian words read back as their codes."""
    from django.utils import translation

    from kelisim.appeals import importer

    user = make_user("district_coordinator", KORDAY)
    first = _appeal(user, territory(KORDAY), korday_department, external_number="ЖТ-7")
    with translation.override("ru"):
        content, count = importer.export_xlsx(Appeal.objects.all())
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert count == 1 and rows[0][:3] == ("регистрационный номер", "внешний номер", "тип")
    assert first.type not in rows[1] and korday_department.code not in rows[1]  # words, not codes
    parsed = importer.parse(name="appeals.xlsx", content=content, user=user)
    assert not parsed.errors, [str(e) for e in parsed.errors]
    (row,) = parsed.rows
    assert (row["type"], row["channel"], row["applicant_kind"]) == (
        first.type,
        first.channel,
        first.applicant_kind,
    )
    assert row["department"] == korday_department and row["territory"] == first.territory
    assert row["external_number"] == "ЖТ-7" and row["received_on"] == first.received_on


def test_import_command_reports_errors_by_row(make_user, korday_department, tmp_path):
    from django.core.management.base import CommandError

    user = make_user("district_coordinator", KORDAY)
    path = tmp_path / "bad.xlsx"
    path.write_bytes(_xlsx([_good(1), [*_good(2)[:1], "nonsense", *_good(2)[2:]]]))
    with pytest.raises(CommandError, match="Row 3"):
        call_command("import_appeals", str(path), "--user", user.username, verbosity=0)
    assert not Appeal.objects.exists()


def _appeal(actor, territory, department, **extra):  # type: ignore[no-untyped-def]
    return services.appeal_register(
        actor=actor,
        type="complaint",
        channel="written",
        applicant_name="Жанар Демоқызы",
        applicant_contact="+7 700 111 2233",
        territory=territory,
        department=department,
        text="Құпия мәтін: көршімен дау",
        received_on=date(2024, 12, 27),
        **extra,
    )


def test_receipt_page_and_pdf(make_user, territory, korday_department):
    actor = make_user("district_coordinator", KORDAY)
    appeal = _appeal(actor, territory(KORDAY), korday_department)
    client = Client()
    client.force_login(actor)
    page = client.get(f"/appeals/{appeal.pk}/receipt/").content.decode()
    assert appeal.number in page and "2025 жылғы 22 қаңтар" in page
    pdf = client.get(f"/appeals/{appeal.pk}/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1 and appeal.number in reader.pages[0].extract_text()


@pytest.fixture
def open311_key(korday_department, territory) -> str:
    Open311Key.objects.create(
        name="mobile",
        key_hash=key_hash("s3cret-key"),
        territory=territory(KORDAY),
        department=korday_department,
    )
    return "s3cret-key"


def test_open311_discovery_services_and_the_request_cycle(client, open311_key):
    discovery = client.get("/open311/v2/discovery.json").json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    services_list = client.get("/open311/v2/services.json").json()
    assert {"service_code", "service_name", "metadata", "type", "keywords", "group"} <= set(services_list[0])
    denied = client.post("/open311/v2/requests.json", {"service_code": "land", "description": "x"})
    assert denied.status_code == 403 and denied.json()[0]["code"] == 403
    created = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": open311_key,
            "service_code": "land",
            "description": "Жер учаскесі туралы құпия мәтін",
            "first_name": "Ерлан",
            "last_name": "Демоұлы",
            "phone": "+7 701 555 0000",
            "lat": "43.05",
            "long": "74.71",
        },
    )
    assert created.status_code == 201
    request_id = created.json()[0]["service_request_id"]
    appeal = Appeal.objects.get(number=request_id)
    assert appeal.channel == "open311" and appeal.applicant_name == "Ерлан Демоұлы"
    one = client.get(f"/open311/v2/requests/{request_id}.json").json()
    assert one[0]["status"] == "open" and one[0]["agency_responsible"]
    assert one[0]["expected_datetime"].startswith(appeal.due_date.isoformat())
    assert client.get("/open311/v2/requests/31-1999-00001.json").status_code == 404
    assert Category.objects.filter(code="land").exists()


def test_open311_never_shows_personal_data_or_the_text(
    client, open311_key, make_user, territory, korday_department
):
    client.post(
        "/open311/v2/requests.json",
        {
            "api_key": open311_key,
            "service_code": "land",
            "description": "Жер учаскесі туралы құпия мәтін",
            "first_name": "Ерлан",
            "last_name": "Демоұлы",
            "email": "erlan@example.kz",
            "address_string": "Қордай, Жібек жолы 1",
        },
    )
    _appeal(
        make_user("district_coordinator", KORDAY), territory(KORDAY), korday_department
    )  # not an Open311 one
    answers = [
        client.get("/open311/v2/requests.json").content,
        client.get("/open311/v2/requests.json", {"status": "open"}).content,
        client.get(f"/open311/v2/requests/{Appeal.objects.get(channel='open311').number}.json").content,
        client.get("/open311/v2/services.json").content,
        client.get("/open311/v2/discovery.json").content,
    ]
    listed = json.loads(answers[0])
    assert len(listed) == 1
    for answer in answers:
        text = answer.decode()
        for secret in (
            "Ерлан",
            "Демоұлы",
            "erlan@example.kz",
            "құпия",
            "Жанар",
            "+7 700",
            "көршімен",
            "Жібек",
        ):
            assert secret not in json.dumps(json.loads(text), ensure_ascii=False)


def test_remind_sends_each_executor_a_digest_in_their_language(make_user, territory, korday_department):
    executor = make_user("specialist", KORDAY)
    executor.email, executor.language = "exec@example.kz", "ru"
    executor.save()
    coordinator = make_user("district_coordinator", KORDAY)
    coordinator.email = "coord@example.kz"
    coordinator.save()
    appeal = _appeal(coordinator, territory(KORDAY), korday_department)
    services.appeal_assign(actor=coordinator, appeal=appeal, lead_executor=executor)
    out = StringIO()
    call_command("remind", stdout=out)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"exec@example.kz", "coord@example.kz"}
    assert appeal.number in by_recipient["exec@example.kz"].body
    assert (
        "Просрочено" in by_recipient["exec@example.kz"].body
        or "просроч" in by_recipient["exec@example.kz"].subject.lower()
    )
    assert "Жанар" not in by_recipient["exec@example.kz"].body


def test_departments_of_one_name_in_two_districts_are_told_apart_by_the_rows_territory(make_user, territory):
    """Every district has its "Білім бөлімі": a regional file names it, the row's district decides."""
    from kelisim.accounts.models import Department
    from kelisim.appeals import importer

    user = make_user("regional_coordinator", "310000000")
    made = {
        code: Department.objects.create(
            code="education",
            kind=Department.Kind.DIVISION,
            name_kk="Білім бөлімі",
            name_ru="Отдел образования",
            territory=territory(code),
        )
        for code in (KORDAY, SHU)
    }
    rows = [
        [
            "ЖТ-1",
            "statement",
            "written",
            "Айгүл Демоқызы",
            KORDAY,
            "Білім бөлімі",
            "Мектеп туралы",
            "2024-12-27",
        ],
        ["ЖТ-2", "өтініш", "written", "Болат Демоұлы", SHU, "отдел образования", "О школе", "27.12.2024"],
        ["ЖТ-3", "statement", "written", "Болат Демоұлы", "310000000", "education", "О школе", "27.12.2024"],
    ]
    parsed = importer.parse(name="a.xlsx", content=_xlsx(rows), user=user)
    assert [str(e) for e in parsed.errors] == [
        str(importer.RowError(4, "department", "several are named “education”; give the code"))
    ]
    assert [r["department"] for r in parsed.rows] == [made[KORDAY], made[SHU]]
    assert parsed.rows[1]["type"] == "statement"  # the Kazakh word for the type reads as its code
