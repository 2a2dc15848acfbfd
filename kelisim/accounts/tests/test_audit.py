import pytest
from django.utils import translation

from kelisim.accounts import services
from kelisim.core.audit import audit_record
from kelisim.core.audit_words import action_words, object_type_words
from kelisim.core.models import AuditEntry


def test_service_writes_record_actor_action_object_and_territory(make_user, territory):
    actor = make_user("district_coordinator", "314800000")
    department = services.department_create(
        actor=actor,
        code="youth",
        kind="division",
        sector="youth",
        name_kk="Жастар бөлімі",
        name_ru="Отдел молодёжи",
        territory=territory("314800000"),
    )
    services.department_update(actor=actor, department=department, name_ru="Отдел по делам молодёжи")
    entries = list(AuditEntry.objects.filter(object_type="accounts.department").order_by("id"))
    assert [e.action for e in entries] == ["department.create", "department.update"]
    assert all(e.actor == actor and e.territory_path == "310000000/314800000/" for e in entries)
    assert entries[1].params == {"fields": ["name_ru"]}
    # Field names, never the values typed in.
    assert "молодёжи" not in str([e.params for e in entries])


def test_audit_refuses_free_text_parameters(korday_department):
    with pytest.raises(ValueError, match="comment"):
        audit_record(actor=None, action="x", obj=korday_department, params={"comment": "Иванов Иван, +7 701"})
    assert not AuditEntry.objects.exists()


def test_audit_page_filters_by_user_type_and_period(client, make_user, korday_department):
    reader = make_user("regional_coordinator", "310000000")
    writer = make_user("district_coordinator", "314800000")
    services.department_update(actor=writer, department=korday_department, name_ru="Другое")
    client.force_login(reader)
    with translation.override(reader.language):
        row = (
            f"<td>{action_words('department.update')}</td><td>{object_type_words('accounts.department')}</td>"
        )
    body = client.get("/audit/", {"user": writer.pk, "object_type": "accounts.department"}).content.decode()
    assert row in body and "department.update" not in body  # in words, not the code
    other = client.get("/audit/", {"user": reader.pk}).content.decode()
    assert row not in other
    future = client.get("/audit/", {"date_from": "2999-01-01"}).content.decode()
    assert row not in future
