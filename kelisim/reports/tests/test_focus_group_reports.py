"""The demo's focus group (Korday college, 12 May 2023) in the visit report's three formats, on the
dashboard and in the Kazakh press release."""

import io
import subprocess

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from kelisim.reports.models import RestrictedTemplate
from kelisim.reports.press_release import draft
from kelisim.surveys.models import FocusGroup

KORDAY, ZHAMBYL = "314800000", "310000000"
SIGNAL_QUOTE = "Желіде кейде бір-бірімізге қарсы қояды."


@pytest.fixture
def group(seed_visit) -> FocusGroup:
    return FocusGroup.objects.get(event__visit=seed_visit)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_visit_report_holds_the_focus_groups_findings_in_every_format(
    seed_visit, group, make_user, tmp_path
):
    client = _client(make_user("regional_coordinator", ZHAMBYL))
    docx = _docx_text(client.get(f"/visits/{seed_visit.pk}/report.docx", {"lang": "kk"}).content)
    assert SIGNAL_QUOTE in docx and "Е.Қаншымбеков" in docx
    book = load_workbook(io.BytesIO(client.get(f"/visits/{seed_visit.pk}/report.xlsx").content))
    cells = [v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row]
    assert SIGNAL_QUOTE in cells and ("medium" in cells or "орташа" in cells)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(f"/visits/{seed_visit.pk}/report.pdf").content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "бір-бірімізге" in text


def test_the_visit_report_masks_the_composition_for_a_reader_without_the_sensitive_capability(
    seed_visit, group, make_user
):
    sensitive = _docx_text(
        _client(make_user("regional_coordinator", ZHAMBYL))
        .get(f"/visits/{seed_visit.pk}/report.docx", {"lang": "kk"})
        .content
    )
    plain = _docx_text(
        _client(make_user("district_coordinator", KORDAY))
        .get(f"/visits/{seed_visit.pk}/report.docx", {"lang": "kk"})
        .content
    )
    assert "дүнген" in sensitive  # ethnicity, exact, for a holder of view_sensitive
    assert "дүнген" not in plain and SIGNAL_QUOTE in plain
    book = load_workbook(
        io.BytesIO(
            _client(make_user("district_coordinator", KORDAY))
            .get(f"/visits/{seed_visit.pk}/report.xlsx", {"lang": "kk"})
            .content
        )
    )
    cells = [v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row]
    assert "дүнген" not in cells and 3 not in [
        row[3] for row in book.worksheets[-1].iter_rows(values_only=True, min_row=2)
    ]


def test_the_dashboard_counts_tension_signals_by_district_and_month_and_links_to_them(group, make_user):
    client = _client(make_user("district_coordinator", KORDAY))
    page = client.get("/dashboard/", {"from": "2023-01-01", "to": "2023-12-31"})
    (row,) = page.context["board"].tension_signals
    assert (row.district, row.month.strftime("%Y-%m"), row.severity, row.total) == (
        KORDAY,
        group.held_on.strftime("%Y-%m"),
        {"medium": 1},
        1,
    )
    link = f"/focus-groups/?territory={KORDAY}&amp;month={group.held_on:%Y-%m}&amp;signals=1"
    assert link in page.content.decode()
    listed = client.get(link.replace("&amp;", "&"))
    assert [s.group.pk for s in listed.context["groups"]] == [group.pk]
    # Outside the period, or in another district's scope: no figure.
    assert (
        client.get("/dashboard/", {"from": "2024-01-01", "to": "2024-12-31"}).context["board"].tension_signals
        == []
    )
    shu = _client(make_user("district_coordinator", "316600000"))
    assert (
        shu.get("/dashboard/", {"from": "2023-01-01", "to": "2023-12-31"}).context["board"].tension_signals
        == []
    )


def test_the_press_release_gives_the_focus_groups_themes_but_no_quote_or_signal(seed_visit, group):
    text = draft(seed_visit, "kk").text
    # The findings follow the event's own sentence rather than announcing the study a second time.
    assert "фокус-топтық зерттеу жүргізді." in text and "фокус-топтық зерттеу өткізілді" not in text
    assert (
        "Зерттеуге 12 адам қатысты. Талқылау барысында әлеуметтік желілер, тіл және спорт мәселелері қозғалды."
        in text
    )
    assert group.summary_kk in text
    assert SIGNAL_QUOTE not in text
    russian = draft(seed_visit, "ru").text
    assert (
        "В исследовании приняли участие 12 человек. Участники обсудили социальные сети, язык и спорт."
        in russian
    )
    assert SIGNAL_QUOTE not in russian


def test_a_restricted_events_focus_group_is_in_the_release_only_as_a_count_where_the_wording_allows(
    seed_visit, group
):
    group.event.restricted = True
    group.event.save()
    text = draft(seed_visit, "kk").text
    assert "фокус-топтық" not in text and "әлеуметтік желілер" not in text
    RestrictedTemplate.objects.create(
        language="kk", text="Сондай-ақ, {date} кездесу өтті.", allow_counts=True
    )
    text = draft(seed_visit, "kk").text
    assert "фокус-топтық зерттеу өткізілді. Зерттеуге 12 адам қатысты." in text
    assert "әлеуметтік желілер" not in text and group.summary_kk not in text


def test_a_draft_written_for_a_user_names_only_the_focus_groups_they_may_read(seed_visit, group, make_user):
    from kelisim.reports.focus_release import focus_group_followups

    assert focus_group_followups(seed_visit, make_user("press_officer", KORDAY))
    assert focus_group_followups(seed_visit, make_user("press_officer", "316600000")) == {}
