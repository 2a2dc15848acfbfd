"""The import's commit writes column values, not model instances (appeals.services._BulkRows): what
it writes must be what registration one by one writes, all or nothing, found by search, and with
nothing of the applicant in the audit log or the logs."""

import io
import logging
from datetime import date

import pytest
from django.db import IntegrityError
from openpyxl import Workbook

from kelisim.appeals import importer, services
from kelisim.appeals.models import Appeal, AppealEvent, AppealSequence, Category
from kelisim.core.models import AuditEntry
from kelisim.search import indexing
from kelisim.search.models import SearchDocument
from kelisim.search.selectors import search
from kelisim.territories.models import Territory

pytestmark = pytest.mark.django_db

KORDAY = "314800000"
# Values only the applicant gives: none may reach the audit log or a log line.
PERSONAL = ("Нұрланова", "701 123", "birlik@example.invalid", "Сейітқали", "Құпия хабар")
# What the one-by-one path sets for itself and the bulk path gives anew.
OWN = {"id", "number", "sequence", "public_code", "registered_at"}


def _file(department_code: str, category_code: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(importer.COLUMNS)
    received = date(2024, 3, 1)
    sheet.append(
        [
            "",
            "statement",
            "written",
            "person",
            "Әлия Серікқызы Нұрланова",
            "+7 (701) 123-45-67",
            KORDAY,
            department_code,
            category_code,
            "Тұрғын-үй кешеніндегі су құбыры\nжөндеу — «КММ-нің» жауабы жоқ.\n\nКордайский район",
            received,
        ]
    )
    sheet.append(
        [
            "ЖТ-2024-0001",
            "complaint",
            "eotinish",
            "organization",
            "ЖШС «Бірлік»",
            "birlik@example.invalid",
            KORDAY,
            department_code,
            "",
            "Жол жөндеу туралы шағым",
            "05.03.2024",
        ]
    )
    sheet.append(
        [
            "",
            "request",
            "phone",
            "",
            "Сейітқали Ибраев",
            "87011234567",
            KORDAY,
            department_code,
            category_code,
            "Құпия хабар: мектепке жол",
            date(2024, 12, 30),
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _parsed(user, department):  # type: ignore[no-untyped-def]
    category = Category.objects.first() or Category.objects.create(
        code="roads", name_kk="Жол", name_ru="Дороги"
    )
    parsed = importer.parse(name="a.xlsx", content=_file(department.code, category.code), user=user)
    assert not parsed.errors and len(parsed.rows) == 3
    return parsed


def _columns(appeal_ids: list[int]) -> list[dict[str, object]]:
    by_id = {row["id"]: row for row in Appeal.objects.filter(pk__in=appeal_ids).values()}
    return [{k: v for k, v in by_id[pk].items() if k not in OWN} for pk in appeal_ids]


def test_the_commit_writes_what_registration_one_by_one_writes(make_user, korday_department, caplog):
    user = make_user("district_coordinator", KORDAY)
    parsed = _parsed(user, korday_department)
    singles = [
        services.appeal_register(actor=user, **{k: v for k, v in row.items() if k != "_row"})
        for row in parsed.rows
    ]
    with caplog.at_level(logging.DEBUG):
        created = importer.commit(parsed=parsed, user=user)
    ids = [a.pk for a in created]
    assert _columns(ids) == _columns([a.pk for a in singles])
    # Numbers follow the ones registered singly, and the due dates are the law's.
    assert [a.sequence for a in created] == [singles[-1].sequence + n for n in (1, 2, 3)]
    assert [a.due_date for a in created] == [a.due_date for a in singles]

    # The instances returned are the rows written, with their linked records at hand.
    for appeal, row in zip(created, Appeal.objects.filter(pk__in=ids).order_by("pk"), strict=True):
        for field in Appeal._meta.concrete_fields:
            assert getattr(appeal, field.attname) == getattr(row, field.attname), field.name
        assert not appeal._state.adding
        assert appeal.territory.code == KORDAY and appeal.department == korday_department

    def history(appeal_ids):  # type: ignore[no-untyped-def]
        return [
            {k: v for k, v in e.items() if k not in ("id", "appeal_id", "at")}
            for e in AppealEvent.objects.filter(appeal_id__in=appeal_ids).order_by("appeal_id").values()
        ]

    assert history(ids) == history([a.pk for a in singles])

    def audit(appeal_ids):  # type: ignore[no-untyped-def]
        entries = AuditEntry.objects.filter(
            action="appeal.register", object_id__in=[str(i) for i in appeal_ids]
        )
        return sorted((e.actor_id, e.kind, e.object_type, e.territory_path, repr(e.params)) for e in entries)

    assert audit(ids) == audit([a.pk for a in singles])
    for entry in AuditEntry.objects.filter(object_id__in=[str(i) for i in ids]).values():
        assert not any(word in str(entry) for word in PERSONAL)
    assert not any(word in record.getMessage() for record in caplog.records for word in PERSONAL)

    # Indexed as a single save indexes (indexing.index): the same stems from the whole text.
    source = indexing.BY_MODEL["appeals.Appeal"]
    documents = {d.object_id: d for d in SearchDocument.objects.filter(kind="appeal", object_id__in=ids)}
    for appeal in created:
        title, body = source.text(appeal)
        document = documents[appeal.pk]
        assert (document.title, document.body, document.territory_path, document.restricted) == (
            title,
            body,
            appeal.territory.path,
            False,
        )
        assert document.stems == indexing._stems(source, title, body)


def test_found_by_search_when_the_import_returns(make_user, korday_department):
    user = make_user("district_coordinator", KORDAY)
    created = importer.commit(parsed=_parsed(user, korday_department), user=user)
    # A word of the first row's second line in another form, the district's Russian adjective, a number.
    assert search(user=user, query="жөндеуі", limit=10)[0] == 2
    total, hits = search(user=user, query=created[2].number, limit=5)
    assert total >= 1 and hits


def test_a_failure_in_a_late_chunk_leaves_nothing(make_user, korday_department):
    """Rows of the first chunks are written when the last one fails in the database: all of them go."""
    user = make_user("district_coordinator", KORDAY)
    territory = Territory.objects.get(code=KORDAY)
    before = (AuditEntry.objects.count(), AppealEvent.objects.count(), SearchDocument.objects.count())
    parsed = importer.Parsed()
    parsed.rows = [
        {
            "_row": n + 2,
            "type": "statement",
            "channel": "written",
            "applicant_name": f"Өтініш беруші {n}",
            "territory": territory,
            "department": korday_department,
            "text": f"Су құбыры {n}",
            "received_on": date(2024, 3, 1),
        }
        for n in range(2 * services.BULK_CHUNK + 10)
    ]
    parsed.rows[-1]["department"] = None  # passes the row checks; the database refuses it
    with pytest.raises(IntegrityError):
        importer.commit(parsed=parsed, user=user)
    assert not Appeal.objects.exists()
    assert not AppealSequence.objects.filter(last__gt=0).exists()
    assert (AuditEntry.objects.count(), AppealEvent.objects.count(), SearchDocument.objects.count()) == before


def test_a_failure_while_indexing_leaves_nothing(make_user, korday_department, monkeypatch):
    user = make_user("district_coordinator", KORDAY)
    parsed = _parsed(user, korday_department)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the index is gone")

    monkeypatch.setattr(indexing, "index_text", broken)
    with pytest.raises(RuntimeError):
        importer.commit(parsed=parsed, user=user)
    assert not Appeal.objects.exists() and not AppealEvent.objects.exists()
    assert not AuditEntry.objects.filter(action="appeal.register").exists()


def test_a_late_row_the_model_refuses_names_its_line_and_saves_nothing(make_user, korday_department):
    user = make_user("district_coordinator", KORDAY)
    parsed = _parsed(user, korday_department)
    parsed.rows[-1]["external_number"] = "Ж" * 65  # longer than the column
    with pytest.raises(Exception) as caught:
        importer.commit(parsed=parsed, user=user)
    assert "4" in str(caught.value) and "external_number" in str(caught.value)
    assert not Appeal.objects.exists()
