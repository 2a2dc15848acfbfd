from kelisim.accounts import policies, services
from kelisim.accounts.models import Department, Membership, Role


def test_a_region_membership_covers_its_districts_okrugs_and_villages(make_user, territory):
    user = make_user("regional_coordinator", "310000000")
    for code in ("310000000", "314800000", "314854000", "314854100", "316600000"):
        assert policies.can(user, "manage_department", territory(code))


def test_a_district_membership_covers_its_subtree_only(make_user, territory):
    user = make_user("district_coordinator", "314800000")
    assert policies.can(user, "manage_department", territory("314854100"))
    assert not policies.can(user, "manage_department", territory("316600000"))
    assert not policies.can(user, "manage_department", territory("310000000"))
    assert not policies.can(user, "view_audit", territory("314800000"))


def test_scope_filter_keeps_only_the_users_rows(make_user, korday_department, shu_department):
    korday = make_user("district_coordinator", "314800000")
    region = make_user("regional_coordinator", "310000000")
    nobody = make_user(None)
    assert list(Department.objects.filter(policies.scope_q(korday, "view_department"))) == [korday_department]
    assert set(Department.objects.filter(policies.scope_q(region, "view_department"))) == {
        korday_department,
        shu_department,
    }
    assert not Department.objects.filter(policies.scope_q(nobody, "view_department")).exists()


def test_roles_sync_is_idempotent_and_follows_roles_py(zhambyl):
    first = {r.code: set(r.capabilities.values_list("code", flat=True)) for r in Role.objects.all()}
    assert services.roles_sync()["created"] == 0
    assert first == {r.code: set(r.capabilities.values_list("code", flat=True)) for r in Role.objects.all()}
    assert "view_sensitive" in first["regional_coordinator"]
    assert "view_sensitive" not in first["district_coordinator"]
    assert set(first) >= {
        "system_admin",
        "regional_coordinator",
        "district_coordinator",
        "specialist",
        "analyst",
        "press_officer",
        "viewer",
    }


def test_a_whole_country_membership_reaches_everywhere(make_user, territory):
    admin = make_user("system_admin")
    assert Membership.objects.get(user=admin).territory is None
    assert policies.can(admin, "view_sensitive", territory("316600000"))


def test_a_scope_within_a_chosen_unit_keeps_the_rows_under_both(make_user, korday_department, shu_department):
    region = make_user("regional_coordinator", "310000000")
    korday = make_user("district_coordinator", "314800000")
    admin = make_user("system_admin")

    def kept(user, within):
        return set(Department.objects.filter(policies.scope_q(user, "view_department", within=within)))

    assert kept(region, "314800000") == {korday_department}  # the unit inside the scope
    assert kept(korday, "310000000") == {korday_department}  # the scope inside the unit
    assert kept(korday, "316600000") == set()  # a unit outside the scope
    assert kept(admin, "316600000") == {shu_department}  # a country-wide scope
    assert kept(region, "999999999") == set()  # no such unit
    assert kept(make_user(None), "314800000") == set()  # no scope at all


def test_a_scope_within_a_unit_is_one_condition_on_the_territory(make_user, korday_department):
    # Two `IN (territories…)` tests made SQLite walk every row of the scope to keep a district's.
    region = make_user("regional_coordinator", "310000000")
    rows = Department.objects.filter(policies.scope_q(region, "view_department", within="314800000"))
    sql = str(rows.order_by().query)
    assert sql.count("IN (SELECT") == 1 and sql.count("territories_territory") == 1, sql
