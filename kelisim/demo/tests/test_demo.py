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
    logins = [line.split() for line in first.getvalue().splitlines()[1:]]
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
    assert (tmp_path / "demo-logins.txt").read_text().count("\n") == len(logins)


@pytest.mark.django_db
def test_demo_refuses_to_run_without_the_classifier():
    with pytest.raises(RuntimeError, match="load_territories"):
        call_command("load_demo", stdout=StringIO())
