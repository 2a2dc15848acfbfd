"""Rows written by executemany (kelisim.core.bulk) read back as the ORM would have written them."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from kelisim.appeals.models import Appeal
from kelisim.core import bulk
from kelisim.core.models import AuditEntry
from kelisim.territories.models import Territory

pytestmark = pytest.mark.django_db

KORDAY = "314800000"


def _appeal(territory: Territory, department, n: int, **extra) -> Appeal:  # type: ignore[no-untyped-def]
    return Appeal(
        number=f"31-2024-9{n:04d}",
        region_code="310000000",
        year=2024,
        sequence=90000 + n,
        type=Appeal.Type.COMPLAINT,
        channel=Appeal.Channel.WRITTEN,
        applicant_name=f"Тест {n}",
        territory=territory,
        department=department,
        received_on=date(2024, 3, 1),
        due_date=date(2024, 3, 29),
        **{"text": "Жол жөндеу туралы", **extra},
    )


def test_objects_read_back_with_every_value_and_new_keys(korday_department):
    territory = Territory.objects.get(code=KORDAY)
    before = set(Appeal.objects.values_list("pk", flat=True))
    objs = [_appeal(territory, korday_department, n) for n in range(3)]
    objs[1].latitude, objs[1].longitude = Decimal("43.123456"), Decimal("74.654321")
    objs[2].answered_on = date(2024, 3, 20)
    with transaction.atomic():
        saved = bulk.insert_objects(Appeal, objs)
    keys = [a.pk for a in saved]
    assert len(set(keys)) == 3 and not set(keys) & before
    assert all(not a._state.adding for a in saved)
    # auto_now_add was filled as bulk_create fills it
    assert all(a.registered_at is not None for a in saved)
    read = {a.pk: a for a in Appeal.objects.filter(pk__in=keys)}
    for obj in saved:
        back = read[obj.pk]
        assert back.number == obj.number
        assert back.type == Appeal.Type.COMPLAINT
        assert back.territory_id == territory.pk
        assert back.received_on == date(2024, 3, 1)
        assert back.registered_at == obj.registered_at
    assert read[keys[1]].latitude == Decimal("43.123456")
    assert read[keys[2]].answered_on == date(2024, 3, 20)
    assert read[keys[0]].answered_on is None
    # The table's own numbering continues after the keys taken here.
    after = _appeal(territory, korday_department, 9)
    after.save()
    assert after.pk > max(keys)


def test_a_deleted_rows_key_is_not_given_again(korday_department):
    territory = Territory.objects.get(code=KORDAY)
    last = _appeal(territory, korday_department, 1)
    last.save()
    Appeal.objects.filter(pk=last.pk).delete()
    with transaction.atomic():
        (fresh,) = bulk.insert_objects(Appeal, [_appeal(territory, korday_department, 2)])
    assert fresh.pk > last.pk


def test_values_with_a_time_zone_and_json_are_stored_as_the_orm_stores_them(make_user):
    user = make_user("regional_coordinator", "310000000")
    moment = datetime(2024, 5, 1, 10, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    with transaction.atomic():
        keys = bulk.allocate_keys(AuditEntry, 2)
        written = bulk.insert_values(
            AuditEntry,
            [
                "id",
                "at",
                "actor_id",
                "kind",
                "action",
                "object_type",
                "object_id",
                "territory_path",
                "params",
            ],
            [
                [keys[0], moment, user.pk, AuditEntry.Kind.WRITE, "test.bulk", "x", "1", "31", {"n": 1}],
                [keys[1], moment, None, AuditEntry.Kind.READ, "test.bulk", "x", "2", "", {}],
            ],
        )
    assert written == 2
    rows = {e.pk: e for e in AuditEntry.objects.filter(action="test.bulk")}
    assert set(rows) == set(keys)
    assert rows[keys[0]].at == moment
    assert rows[keys[0]].params == {"n": 1} and rows[keys[1]].params == {}
    assert rows[keys[0]].actor_id == user.pk and rows[keys[1]].actor_id is None
    assert rows[keys[1]].kind == "read"
    # The same filters find them as find rows the ORM wrote.
    assert AuditEntry.objects.filter(action="test.bulk", at=moment).count() == 2


@pytest.mark.django_db(transaction=True)
def test_keys_are_taken_only_inside_a_transaction():
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError):
        bulk.allocate_keys(AuditEntry, 1)


def test_naive_times_lazy_strings_and_datetimes_for_dates_are_stored_as_the_orm_would(korday_department):
    from django.utils import timezone
    from django.utils.translation import gettext_lazy

    territory = Territory.objects.get(code=KORDAY)
    naive = datetime(2024, 3, 1, 9, 15)
    by_orm = _appeal(territory, korday_department, 1, text=gettext_lazy("appeal"))
    by_orm.save()
    fast = _appeal(territory, korday_department, 2, text=gettext_lazy("appeal"))
    fast.answered_on = datetime(2024, 3, 20, 23, 59)  # a datetime given to a date column
    with transaction.atomic():
        bulk.insert_objects(Appeal, [fast])
    back = Appeal.objects.get(pk=fast.pk)
    assert back.text == Appeal.objects.get(pk=by_orm.pk).text == "appeal"
    assert back.answered_on == date(2024, 3, 20)
    with transaction.atomic():
        (key,) = bulk.allocate_keys(AuditEntry, 1)
        bulk.insert_values(
            AuditEntry,
            ["id", "at", "kind", "action", "object_type", "object_id", "territory_path", "params"],
            [[key, naive, "write", "test.naive", "x", "1", "", {}]],
        )
    assert AuditEntry.objects.get(pk=key).at == timezone.make_aware(naive)
