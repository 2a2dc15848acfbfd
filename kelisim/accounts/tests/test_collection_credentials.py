"""Collectors manage their own collection credentials (one per device, shown once, revocable)."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings

from kelisim.accounts.models import CollectionCredential
from kelisim.accounts.services import collection_credential_create, collection_credential_revoke
from kelisim.core.models import AuditEntry

KORDAY = "314800000"


def test_the_page_makes_a_credential_shows_it_once_and_revokes_it(make_user):
    collector = make_user("specialist", KORDAY)
    client = Client()
    client.force_login(collector)
    made = client.post("/accounts/collection-credentials/", {"name": "Samsung A14"}).content.decode()
    secret = re.search(r'id="new-secret">([^<]+)<', made)
    assert secret and re.fullmatch(r"([a-z2-9]{4}-){4}[a-z2-9]{4}", secret.group(1))
    assert 'id="server-url">http://testserver/openrosa<' in made
    credential = CollectionCredential.objects.get(user=collector)
    assert credential.name == "Samsung A14" and secret.group(1) not in str(vars(credential))
    listing = client.get("/accounts/collection-credentials/").content.decode()
    assert 'id="new-secret"' not in listing and "Samsung A14" in listing
    # nobody else can revoke it through their own page
    other = Client()
    other.force_login(make_user("specialist", KORDAY))
    assert other.post("/accounts/collection-credentials/", {"revoke": credential.pk}).status_code == 404
    credential.refresh_from_db()
    assert credential.revoked_at is None
    assert client.post("/accounts/collection-credentials/", {"revoke": credential.pk}).status_code == 302
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    assert list(
        AuditEntry.objects.filter(object_type="accounts.collectioncredential")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == [
        "collection_credential.create",
        "collection_credential.revoke",
    ]


def test_a_blank_device_name_is_refused_with_a_message(make_user):
    collector = make_user("specialist", KORDAY)
    client = Client()
    client.force_login(collector)
    page = client.post("/accounts/collection-credentials/", {"name": "  "}, follow=True).content.decode()
    assert 'id="new-secret"' not in page and not CollectionCredential.objects.exists()


def test_only_collectors_have_the_page(make_user):
    client = Client()
    client.force_login(make_user("viewer", KORDAY))
    assert client.get("/accounts/collection-credentials/").status_code == 404
    assert client.post("/accounts/collection-credentials/", {"name": "phone"}).status_code == 404
    assert not CollectionCredential.objects.exists()


@override_settings(KELISIM_REQUIRE_2FA=True)
def test_a_collector_who_needs_two_factors_makes_credentials_only_after_verifying(make_user):
    coordinator = make_user("regional_coordinator", "310000000")  # collects, and reads restricted records
    with pytest.raises(PermissionDenied):
        collection_credential_create(user=coordinator, name="phone")
    client = Client()
    client.force_login(coordinator)
    refused = client.post("/accounts/collection-credentials/", {"name": "phone"})
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/2fa/")
    assert not CollectionCredential.objects.exists()


def test_an_administrator_can_revoke_a_lost_phones_credential(make_user):
    collector = make_user("specialist", KORDAY)
    credential, _secret = collection_credential_create(user=collector, name="lost phone")
    admin = make_user("system_admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    client.post(
        "/admin/accounts/collectioncredential/",
        {"action": "revoke", "_selected_action": [credential.pk]},
    )
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    with pytest.raises(ValidationError):  # a colleague can't revoke it
        collection_credential_revoke(user=make_user("specialist", KORDAY), credential=credential)
