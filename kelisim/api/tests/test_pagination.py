"""Ids-first pages: the same rows in the same order as slicing the queryset, page after page."""

import pytest
from rest_framework.test import APIClient

from kelisim.appeals.models import Appeal
from kelisim.core.pagination import IdsFirstPaginator


@pytest.mark.parametrize("per_page", [1, 3, 7])
def test_ids_first_pages_hold_the_rows_slicing_would(seed_visit, per_page):
    rows = Appeal.objects.select_related("territory", "department").order_by("due_date", "id")
    assert rows.count() > per_page
    paginator = IdsFirstPaginator(rows, per_page)
    seen = []
    for number in paginator.page_range:
        page = paginator.page(number)
        expected = list(rows[(number - 1) * per_page : number * per_page])
        assert [a.pk for a in page.object_list] == [a.pk for a in expected]
        assert all(a.territory.name_kk for a in page.object_list)  # the joins are read with the page
        seen += [a.pk for a in page.object_list]
    assert seen == list(rows.values_list("pk", flat=True))


def test_the_limited_statement_of_a_page_joins_nothing(seed_visit, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = APIClient()
    client.force_authenticate(make_user("regional_coordinator", "310000000"))
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/v1/appeals/", {"page_size": 5})
    assert first.status_code == 200 and len(first.json()["results"]) == 5
    limited = [
        q["sql"] for q in queries.captured_queries if "appeals_appeal" in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert limited and all("JOIN" not in sql.upper() for sql in limited), limited
    second = client.get("/api/v1/appeals/", {"page_size": 5, "page": 2}).json()["results"]
    assert not {a["id"] for a in second} & {a["id"] for a in first.json()["results"]}
