import base64
from io import StringIO

import pytest
from django.core.management import call_command

from kelisim.accounts.models import Department, Membership, User


def test_load_demo_twice_prints_logins_once_and_they_work(zhambyl, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    counts = (User.objects.count(), Department.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=second)
    assert counts == (User.objects.count(), Department.objects.count(), Membership.objects.count())
    printed = first.getvalue().splitlines()
    logins = [line.split() for line in printed[1:] if line.startswith("  ") and not line.startswith("  --")]
    assert {row[0] for row in logins} >= {
        "coordinator.zhambyl",
        "coordinator.korday",
        "specialist.korday",
        "analyst.zhambyl",
        "press.zhambyl",
    }
    assert "coordinator.korday" not in second.getvalue()
    for username, password, *_role in logins:
        assert client.login(username=username, password=password), username
    assert (tmp_path / "demo-logins.txt").read_text() == first.getvalue()
    # and the collector's phone has a collection credential, printed beside the accounts
    credentials = [line.split() for line in printed if line.startswith("  --user ")]
    assert len(credentials) == 1
    _user_flag, username, _password_flag, secret = credentials[0]
    assert username == "specialist.korday" and secret not in second.getvalue()
    basic = base64.b64encode(f"{username}:{secret}".encode()).decode()
    assert client.get("/openrosa/formList", HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 200


@pytest.mark.django_db
def test_demo_refuses_to_run_without_the_classifier():
    with pytest.raises(RuntimeError, match="load_territories"):
        call_command("load_demo", stdout=StringIO())
