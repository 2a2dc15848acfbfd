"""The shared components (templates/core/) and the server-side charts (kelisim.core.charts)."""

import re

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import Client, RequestFactory

from kelisim.core.charts import Bar, bar_chart, line_chart, nice_ceiling


class _Form(forms.Form):
    name = forms.CharField(label="Name", help_text="As in the passport.")
    count = forms.IntegerField(label="Count")
    agree = forms.BooleanField(label="I agree", required=False)


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_form_fields_put_an_error_summary_first_linking_to_each_field():
    form = _Form(data={"name": "", "count": "many"})
    assert not form.is_valid()
    html = _render('{% include "core/_form_fields.html" %}', form=form)
    summary = html[: html.index('class="field')]
    assert "error-summary" in summary and "data-error-summary" in summary
    assert 'href="#id_name"' in summary and 'href="#id_count"' in summary


def test_each_field_is_described_by_its_hint_and_its_error():
    form = _Form(data={"name": "", "count": "1"})
    form.is_valid()
    html = _render('{% include "core/_form_fields.html" %}', form=form)
    name_input = re.search(r"<input[^>]*id=\"id_name\"[^>]*>", html).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', name_input).group(1).split()
    assert 'aria-invalid="true"' in name_input
    for target in described:
        assert f'id="{target}"' in html, target
    assert {"id_name_helptext", "id_name_error"} == set(described)
    assert "As in the passport." in html and 'class="field-error"' in html


def test_a_form_without_errors_has_no_summary():
    html = _render('{% include "core/_form_fields.html" %}', form=_Form())
    assert "error-summary" not in html and '<label class="label" for="id_name">Name</label>' in html


def test_the_pager_keeps_the_filters_when_it_turns_the_page():
    page = Paginator(list(range(120)), 50).get_page(2)
    request = RequestFactory().get("/appeals/", {"status": "registered", "page": "2"})
    html = _render('{% include "core/_pager.html" %}', page=page, request=request)
    links = re.findall(r'href="\?([^"]+)"', html)
    assert len(links) == 2
    for link in links:
        assert "status=registered" in link and link.count("page=") == 1


def test_a_button_is_a_link_when_it_leads_somewhere_and_a_button_when_it_sends_a_form():
    link = _render('{% include "core/_button.html" with text="Plan a visit" href="/visits/new/" %}')
    button = _render('{% include "core/_button.html" with text="Save" kind="secondary" %}')
    assert link.startswith('<a class="button" href="/visits/new/">Plan a visit</a>')
    assert '<button type="submit" class="button button--secondary">Save</button>' in button


def test_a_summary_list_pairs_each_key_with_its_value():
    html = _render('{% include "core/_summary_list.html" %}', rows=[("Number", "31-2023-00001"), ("Due", "")])
    assert "<dt>Number</dt><dd>31-2023-00001</dd>" in html and "<dt>Due</dt><dd>—</dd>" in html


def test_the_banner_says_what_just_happened_as_a_status_and_a_failure_as_an_alert():
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().get("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    messages.success(request, "The visit is planned.")
    messages.error(request, "Nothing was saved.")
    html = _render('{% include "core/_notification_banner.html" %}', messages=messages.get_messages(request))
    success, error = html.split('class="banner ')[1:]
    assert 'role="status"' in success and "The visit is planned." in success
    assert 'role="alert"' in error and "Nothing was saved." in error


@pytest.mark.parametrize(
    ("code", "family"),
    [
        ("registered", "open"),
        ("overdue", "overdue"),
        ("closed", "done"),
        ("restricted", "restricted"),
        ("x", "neutral"),
    ],
)
def test_a_status_tag_says_the_status_in_words_and_colours_it_by_family(code, family):
    html = _render("{% load kelisim_ui %}{% status_tag code label %}", code=code, label="Some words")
    assert f"tag--{family}" in html and ">Some words<" in html


def test_a_bar_chart_is_an_image_with_a_title_a_description_and_its_figures():
    chart = bar_chart(
        "c1",
        [Bar("Кездесу <b>", 4), Bar("Дөңгелек үстел", 2, family="done")],
        title="Events by format",
        label_heading="format",
        value_heading="events",
    )
    svg = str(chart.svg)
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Events by format</title>' in svg
    assert "Кездесу &lt;b&gt;: 4; Дөңгелек үстел: 2" in svg  # the description reads the figures
    assert "<b>" not in svg  # labels are escaped
    assert chart.rows == [("Кездесу <b>", "4"), ("Дөңгелек үстел", "2")]
    widths = [
        float(w)
        for w in re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+)" height="16" rx="2" fill="#', svg)
    ]
    # each bar's background, then the bar: 4 is twice as long as 2
    assert widths[1] == pytest.approx(2 * widths[3], rel=0.01)


def test_a_line_chart_draws_one_point_per_period_and_names_the_first_and_the_last():
    chart = line_chart("c2", [("Jan", 1), ("Feb", 3), ("Mar", 2)], title="Events by month")
    svg = str(chart.svg)
    assert svg.count("<circle") == 3 and ">Jan<" in svg and ">Mar<" in svg
    assert chart.rows == [("Jan", "1"), ("Feb", "3"), ("Mar", "2")]
    assert line_chart("c3", [], title="Nothing").rows == []


def test_axis_ends_are_round_numbers():
    assert [nice_ceiling(v) for v in (0, 3, 7, 12, 99.3, 250)] == [1, 5, 10, 20, 100, 500]


def test_the_dashboard_draws_its_figures_and_keeps_them_readable_as_text(seed_visit, make_user):
    user = make_user("regional_coordinator", "310000000")
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    body = client.get("/dashboard/", {"from": "2023-01-01", "to": "2023-12-31"}).content.decode()
    for chart_id in ("chart-events-by-month", "chart-events-by-format", "chart-appeals-by-status"):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in body, chart_id
        table = body[body.index(f'id="{chart_id}-caption"') :]
        assert "<table>" in table[: table.index("</figure>")], chart_id
    assert re.search(r"<th scope=\"row\">May 2023</th><td>\d+</td>", body)


def test_the_analytics_page_draws_the_index_by_group(seed_visit, make_user):
    from kelisim.surveys.models import Instrument

    client = Client()
    client.force_login(make_user("regional_coordinator", "310000000"))
    instrument = Instrument.objects.get(code="tolerance_index")
    body = client.get(f"/surveys/{instrument.pk}/analytics/").content.decode()
    assert 'aria-labelledby="chart-index-by-group-title chart-index-by-group-desc"' in body
    assert "Қордай ауданы (n = " in body
