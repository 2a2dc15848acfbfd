"""Ids-first pages: the same rows in the same order as slicing the queryset, page after page."""

import pytest
from django.core.paginator import EmptyPage
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


def _appeals():
    return Appeal.objects.select_related("territory").order_by("due_date", "id")


def test_a_capped_count_says_so_and_the_pages_go_on_past_the_cap(seed_visit, monkeypatch):
    rows = _appeals()
    total = rows.count()
    assert total >= 7
    monkeypatch.setattr(IdsFirstPaginator, "cap", 3)
    paginator = IdsFirstPaginator(rows, 2)
    assert paginator.capped and paginator.shown_count == 3 and paginator.count == 4  # stopped at cap + 1
    seen, number = [], 1
    while True:
        page = paginator.page(number)
        assert [a.pk for a in page.object_list] == [a.pk for a in rows[(number - 1) * 2 : number * 2]]
        seen += [a.pk for a in page.object_list]
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == list(rows.values_list("pk", flat=True))  # every row, though the count stopped at 3
    with pytest.raises(EmptyPage):
        paginator.page(number + 1)
    with pytest.raises(EmptyPage):
        paginator.page(0)


def test_under_the_cap_the_count_is_exact_and_the_last_page_is_last(seed_visit, monkeypatch):
    rows = _appeals()
    total = rows.count()
    monkeypatch.setattr(IdsFirstPaginator, "cap", total)
    paginator = IdsFirstPaginator(rows, 2)
    assert not paginator.capped and paginator.count == total
    last = paginator.page(paginator.num_pages)
    assert not last.has_next() and paginator.page(1).has_next()
    with pytest.raises(EmptyPage):
        paginator.page(paginator.num_pages + 1)


def test_rows_added_between_the_count_and_the_page_give_a_next_page_not_an_error(seed_visit):
    rows = _appeals()
    paginator = IdsFirstPaginator(rows, 1)
    last = paginator.num_pages  # the count is read now, as a request reads it before the page
    extra = Appeal.objects.order_by("id").first()
    assert extra is not None
    extra.pk, extra.number, extra.sequence = None, f"{extra.number}-later", extra.sequence + 10_000
    extra.visitor, extra.due_date = None, rows.last().due_date  # type: ignore[union-attr]
    extra.save()  # another request's row, committed between the two statements
    page = paginator.page(last)
    assert page.has_next() and page.next_page_number() == last + 1
    following = IdsFirstPaginator(rows, 1).page(last + 1)  # the next request counts afresh
    assert [a.pk for a in following.object_list] == [extra.pk]


def test_the_api_page_says_when_its_count_is_capped_and_next_reads_past_it(
    seed_visit, make_user, monkeypatch
):
    client = APIClient()
    client.force_authenticate(make_user("regional_coordinator", "310000000"))
    everything = client.get("/api/v1/appeals/", {"page_size": 200}).json()
    assert everything["capped"] is False and everything["count"] == len(everything["results"]) >= 5
    monkeypatch.setattr(IdsFirstPaginator, "cap", 2)
    first = client.get("/api/v1/appeals/", {"page_size": 2}).json()
    assert first["capped"] is True and first["count"] == 2
    ids, url = [], "/api/v1/appeals/?page_size=2"
    while url:
        body = client.get(url).json()
        ids += [a["id"] for a in body["results"]]
        url = body["next"]
    assert ids == [a["id"] for a in everything["results"]]


def test_the_appeal_list_page_shows_a_capped_count_with_a_plus(seed_visit, make_user, monkeypatch, client):
    monkeypatch.setattr(IdsFirstPaginator, "cap", 2)
    client.force_login(make_user("regional_coordinator", "310000000"))
    html = client.get("/appeals/").content.decode()  # in Kazakh, the default
    assert "2+ өтініш" in html


def test_the_pager_of_a_capped_list_names_the_page_without_a_total(seed_visit, monkeypatch):
    from django.template.loader import render_to_string
    from django.utils import translation

    monkeypatch.setattr(IdsFirstPaginator, "cap", 3)
    with translation.override("kk"):
        capped = render_to_string("core/_pager.html", {"page": IdsFirstPaginator(_appeals(), 2).page(2)})
        monkeypatch.setattr(IdsFirstPaginator, "cap", 10_000)
        exact = render_to_string("core/_pager.html", {"page": IdsFirstPaginator(_appeals(), 2).page(2)})
    assert "2-бет" in capped and "беттің" not in capped  # "page 2", not "page 2 of N": N is not known
    assert 'rel="next"' in capped and 'rel="prev"' in capped
    assert "беттің 2-беті" in exact


def test_the_api_list_joins_only_the_rows_it_shows_more_than_a_key_of(seed_visit, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = APIClient()
    client.force_authenticate(make_user("regional_coordinator", "310000000"))
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/appeals/").json()
    page = [q["sql"] for q in queries.captured_queries if '"appeals_appeal"."text"' in q["sql"]]
    assert len(page) == 1
    assert "accounts_department" not in page[0] and "accounts_user" not in page[0], page[0]
    shown = {a["id"]: a for a in body["results"]}
    for appeal in Appeal.objects.filter(pk__in=shown).select_related("territory", "category"):
        row = shown[appeal.pk]
        assert (row["department"], row["lead_executor"], row["territory"]) == (
            appeal.department_id,
            appeal.lead_executor_id,
            appeal.territory.code,
        )
        assert row["category"] == (appeal.category.code if appeal.category else None)
