"""The press office's wording for restricted events, set on a page by the national press office."""

from django.test import Client

from kelisim.accounts.models import User
from kelisim.core.models import AuditEntry

ZHAMBYL = "310000000"


def _client(user: User) -> Client:
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


def test_the_restricted_event_wording_is_set_by_the_national_press_office_only(make_user):
    from kelisim.reports.models import RestrictedTemplate
    from kelisim.reports.press_release import _restricted_text

    regional = _client(make_user("press_officer", ZHAMBYL))
    assert regional.get("/manage/restricted-wording/").status_code == 404
    national = _client(make_user("press_officer"))
    assert national.get("/manage/restricted-wording/").status_code == 200
    bad = national.post("/manage/restricted-wording/", {"language": "kk", "kk-text": "{date} {name} кездесу"})
    assert (
        "{name}" in str(bad.context["forms"][0][1].errors["text"]) and not RestrictedTemplate.objects.exists()
    )
    ok = national.post(
        "/manage/restricted-wording/", {"language": "kk", "kk-text": "{date} алдын алу кездесуі өтті."}
    )
    assert ok.status_code == 302
    assert RestrictedTemplate.objects.get(language="kk").text == "{date} алдын алу кездесуі өтті."
    assert _last("restricted_template.set").params == {"language": "kk", "allow_counts": False}

    class _NoAudience:
        class audiences:
            @staticmethod
            def all() -> list[object]:
                return []

    assert _restricted_text("kk", "11 мамырда", _NoAudience()) == "11 мамырда алдын алу кездесуі өтті."  # type: ignore[arg-type]
