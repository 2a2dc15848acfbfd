"""`__prefix` finds what `__startswith` finds, from the index."""

import pytest
from django.db import connection

from kelisim.territories.models import Territory

pytestmark = pytest.mark.django_db


def test_a_prefix_finds_exactly_the_subtree(zhambyl):
    korday = Territory.objects.get(code="314800000")
    for prefix in (zhambyl.path, korday.path, "31", "", "99/"):
        expected = set(Territory.objects.filter(path__startswith=prefix).values_list("pk", flat=True))
        found = set(Territory.objects.filter(path__prefix=prefix).values_list("pk", flat=True))
        assert found == expected, prefix
    assert Territory.objects.filter(path__prefix=korday.path).count() > 1
    # Wildcards are letters here, not patterns.
    assert not Territory.objects.filter(path__prefix="31%").exists()
    assert not Territory.objects.filter(path__prefix="3_").exists()


def test_sqlite_answers_a_prefix_from_the_index_where_like_scans(zhambyl):
    if connection.vendor != "sqlite":
        # PostgreSQL: LIKE 'p%' on the varchar_pattern_ops index Django adds to indexed CharFields.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'territories_territory' AND indexdef LIKE %s",
                ["%varchar_pattern_ops%"],
            )
            assert any("(path varchar_pattern_ops)" in row[0] for row in cursor.fetchall())
        return
    query = Territory.objects.filter(path__prefix=zhambyl.path).values("pk").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SEARCH" in plan and "path" in plan, plan


def test_an_expression_is_refused_rather_than_compared_as_its_text():
    from django.db.models import F

    with pytest.raises(TypeError):
        list(Territory.objects.filter(path__prefix=F("code")))
