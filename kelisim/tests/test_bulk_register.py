"""Bulk registration (imports): the same records as one-by-one registration, all or none."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from kelisim.appeals import importer, services
from kelisim.appeals.models import Appeal, AppealEvent, AppealSequence
from kelisim.core.models import AuditEntry
from kelisim.search.models import SearchDocument
from kelisim.search.selectors import search
from kelisim.territories.models import Level, Territory

KORDAY = "314800000"


def _row(territory, department, n, **extra):  # type: ignore[no-untyped-def]
    return {
        "type": "statement",
        "channel": "written",
        "applicant_name": f"Өтініш беруші {n}",
        "territory": territory,
        "department": department,
        "text": f"Су құбыры жөндеуі туралы өтініш {n}",
        "received_on": date(2024, 3, 1),
        **extra,
    }


def test_numbers_continue_the_sequence_without_gaps_and_each_appeal_is_complete(make_user, korday_department):
    user = make_user("district_coordinator", KORDAY)
    territory = Territory.objects.get(code=KORDAY)
    first = services.appeal_register(actor=user, **_row(territory, korday_department, 0))
    chunks: list[int] = []
    created = services.appeals_register_many(
        actor=user,
        rows=[_row(territory, korday_department, n) for n in range(1, services.BULK_CHUNK + 3)],
        progress=chunks.append,
    )
    assert chunks == [services.BULK_CHUNK, 2]
    sequences = [a.sequence for a in created]
    assert sequences == list(range(first.sequence + 1, first.sequence + 1 + len(created)))
    assert AppealSequence.objects.get(region_code=first.region_code, year=2024).last == sequences[-1]
    assert created[0].number == f"{first.region_code[:2]}-2024-{sequences[0]:05d}"
    # The due date is the same one registration one by one gives.
    assert {a.due_date for a in created} == {first.due_date}
    ids = [a.pk for a in created]
    assert AppealEvent.objects.filter(appeal_id__in=ids, action="register").count() == len(ids)
    audit = AuditEntry.objects.filter(action="appeal.register", object_id__in=[str(i) for i in ids])
    assert audit.count() == len(ids)
    assert all("Өтініш" not in str(e.params) for e in audit)  # no free text in the audit log
    assert SearchDocument.objects.filter(kind="appeal", object_id__in=ids).count() == len(ids)
    total, _hits = search(user=user, query="құбырын", limit=5)
    # Found by another form of the word; the one registered singly is indexed on commit, which the
    # test's transaction never reaches, so only the bulk ones count here.
    assert total == len(ids)


def test_one_invalid_row_saves_nothing_and_names_its_line(make_user, korday_department):
    user = make_user("district_coordinator", KORDAY)
    territory = Territory.objects.get(code=KORDAY)
    parsed = importer.Parsed()
    parsed.rows = [{"_row": n + 2, **_row(territory, korday_department, n)} for n in range(3)]
    parsed.rows[2]["type"] = "gossip"  # past the parser, caught by the model's own checks
    with pytest.raises(ValidationError) as caught:
        importer.commit(parsed=parsed, user=user)
    assert "4" in str(caught.value.messages) and "type" in str(caught.value.messages)
    assert not Appeal.objects.exists()
    assert not AppealSequence.objects.filter(last__gt=0).exists()
    assert not SearchDocument.objects.filter(kind="appeal").exists()


def test_rows_outside_the_scope_are_refused(make_user, korday_department):
    user = make_user("district_coordinator", KORDAY)
    elsewhere = Territory.objects.filter(level=Level.DISTRICT).exclude(code=KORDAY).first()
    with pytest.raises(services.RowInvalid) as caught:
        services.appeals_register_many(
            actor=user,
            rows=[
                _row(Territory.objects.get(code=KORDAY), korday_department, 1),
                _row(elsewhere, korday_department, 2),
            ],
        )
    assert caught.value.index == 1 and "territory" in caught.value.message_dict
    assert not Appeal.objects.exists()
