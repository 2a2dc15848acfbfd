"""A session without its second factor stays held back whatever Authorization header rides along:
on pages, the administration, the audit log, appeals, a restricted event, the API and the token page.
(Here rather than in accounts/tests: it reads the events of the demo visit.)"""

from django.test import Client, override_settings

from kelisim.accounts.models import ApiToken
from kelisim.events.models import Event

# What the penetration test sent, and a few more shapes of the same idea.
BOGUS_HEADERS = ["x", "Token not-a-token", "Bearer abc", "Basic Zm9vOmJhcg=="]


@override_settings(KELISIM_REQUIRE_2FA=True)
def test_an_authorization_header_does_not_stand_in_for_the_second_factor(seed_visit, make_user):
    # Given an administrator signed in with the password only (no second factor yet)
    admin = make_user("system_admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    restricted = Event.objects.get(visit=seed_visit, restricted=True)
    pages = ["/admin/", "/audit/", "/appeals/", f"/events/{restricted.pk}/", "/visits/", "/accounts/tokens/"]
    for header in BOGUS_HEADERS:
        client = Client(HTTP_AUTHORIZATION=header)
        client.force_login(admin)
        # When any Authorization header rides along, then every page still asks for the second factor
        for path in pages:
            response = client.get(path)
            assert response.status_code == 302, (header, path, response.status_code)
            assert response["Location"].startswith("/accounts/2fa/"), (header, path)
        # and the API refuses the session
        for path in ("/api/v1/me/", f"/api/v1/events/{restricted.pk}/", "/api/v1/appeals/"):
            api = client.get(path)
            assert api.status_code == 403, (header, path, api.status_code)
            assert api.json()["error"]["code"] == "second_factor_required"
        # and no token can be minted
        made = client.post("/accounts/tokens/", {"name": "stolen"})
        assert made.status_code == 302 and made["Location"].startswith("/accounts/2fa/")
    assert not ApiToken.objects.exists()
