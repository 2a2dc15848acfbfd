"""Press releases, visit reports, dashboards and summaries, read back from the files they make."""

import io
import re
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from kelisim.events.models import Event, EventAudience
from kelisim.reports import services
from kelisim.reports.focus_release import focus_group_followups
from kelisim.reports.models import PressRelease
from kelisim.reports.press_release import draft
from kelisim.reports.release_events import _locative_title_kk

KORDAY, SHU = "314800000", "316600000"
TEMPLATE_LEFTOVERS = ("None", "{{", "}}", "{%", "%}", "{date}", "%(", "_(")


def test_kazakh_release_names_every_event_with_the_seed_phrases(seed_visit):
    out = StringIO()
    call_command("press_release", "--visit", str(seed_visit.pk), "--lang", "kk", stdout=out)
    text = out.getvalue()
    for phrase in (
        "Қордай ауданында",
        "10-12 мамыр",
        "жұма күні",
        "Үш күнге созылған",
        "ҚОРДАЙДА «БЕЙБІТШІЛІК ПЕН КЕЛІСІМ» ЖОБАСЫ",
    ):
        assert phrase in text, phrase
    # The two okrugs' dialogue platforms of one day are one sentence, as the seed writes them.
    assert (
        "Сортөбе және Ауқатты ауылдық округтерінде ұлтаралық келісімді нығайту бойынша ашық диалог алаңдары өтті."
        in text
    )
    # Every event by its title, but the receptions: the opening says what their specialists did,
    # the figures paragraph how many came, and the reception is not told a second time as an event.
    reception = Event.objects.get(visit=seed_visit, format__code="citizen_reception")
    assert reception.summary_kk in text.split("\n")[2] and reception.title_kk not in text
    for event in Event.objects.filter(visit=seed_visit, restricted=False).exclude(
        format__code__in=("dialogue_platform", "citizen_reception")
    ):
        # The first letter may be lower-cased inside a sentence; a title's attributive place
        # ("мекендердегі іс-шаралар") is said as the sentence's locative when it has no other.
        stems = (event.title_kk[1:25], _locative_title_kk(event.title_kk)[1:25])
        assert any(stem in text for stem in stems), event.title_kk
    for leftover in TEMPLATE_LEFTOVERS:
        assert leftover not in text, leftover
    assert "Қ.Ырысдәулет" in text and "№20 Сортөбе ауылдық кітапханасында" in text


def test_russian_release_declines_the_district(seed_visit):
    text = draft(seed_visit, "ru").text
    assert "в Кордайском районе" in text and "10–12 мая" in text and "в пятницу" in text
    assert "11 мая в Сортобинском и Аухаттинском сельских округах прошли открытые диалоговые площадки" in text
    reception = Event.objects.get(visit=seed_visit, format__code="citizen_reception")
    assert reception.summary_ru in text.split("\n")[2] and reception.title_ru not in text
    for event in Event.objects.filter(visit=seed_visit, restricted=False).exclude(
        format__code__in=("dialogue_platform", "citizen_reception")
    ):
        # The title is the subject or, after a sub-group that ran the event, the object (встречу).
        first, rest = event.title_ru.split(" ", 1)
        assert f"{first[:4].lower()}" in text.lower() and rest[:25] in text, event.title_ru
    # Russian in Russian: Kazakh names in their Russian spelling, only quoted titles keep theirs.
    outside_quotes = re.sub(r"«[^«»]*»", "", text)
    assert not set(outside_quotes) & set("әғқңөұүһіӘҒҚҢӨҰҮҺІ"), outside_quotes
    assert "КОРДАЙ:" in text and "К.Ырысдаулет" in text
    for label in ("состоялось мероприятие:", "Участники:", "Участие приняли:", "Обсуждались темы:"):
        assert label not in text, label
    for leftover in TEMPLATE_LEFTOVERS:
        assert leftover not in text, leftover


def test_restricted_event_appears_only_in_the_press_offices_wording(seed_visit):
    restricted = Event.objects.get(visit=seed_visit, restricted=True)
    count = EventAudience.objects.filter(event=restricted, count__isnull=False).first().count
    for language in ("kk", "ru"):
        release = draft(seed_visit, language)
        assert getattr(restricted, f"title_{language}")[:20] not in release.text
        assert "Сабырұлы" not in release.text
        found = focus_group_followups(seed_visit, language=language).values()  # a head count, 12 as well
        assert not [p for p in release.paragraphs if f" {count} " in p and not any(f in p for f in found)]
    assert "профилактикалық кездесу" in draft(seed_visit, "kk").text


def test_versions_are_kept(seed_visit, make_user):
    officer = make_user("press_officer", "310000000")
    first = services.press_release_generate(actor=officer, visit=seed_visit, language="kk")
    second = services.press_release_save(
        actor=officer, visit=seed_visit, language="kk", text=first.text + "\nТүзету."
    )
    assert [r.number for r in PressRelease.objects.filter(visit=seed_visit)] == [2, 1]
    assert second.text.endswith("Түзету.") and not second.generated
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.press_release_save(
            actor=make_user("district_coordinator", SHU), visit=seed_visit, language="kk", text="x"
        )
    assert PressRelease.objects.count() == 2


def test_release_docx_opens_and_holds_the_headline(seed_visit, make_user):
    officer = make_user("press_officer", "310000000")
    release = services.press_release_generate(actor=officer, visit=seed_visit, language="kk")
    document = Document(io.BytesIO(services.as_docx(release)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0].startswith("ҚОРДАЙДА") and any("жұма күні" in t for t in texts)


@pytest.fixture
def reader(make_user):  # type: ignore[no-untyped-def]
    return make_user("regional_coordinator", "310000000")


def test_visit_report_docx_holds_the_headline_and_every_event(seed_visit, reader):
    client = Client()
    client.force_login(reader)
    response = client.get(f"/visits/{seed_visit.pk}/report.docx", {"lang": "kk"})
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Қордай ауданы" in text
    for event in Event.objects.filter(visit=seed_visit):
        assert event.title_kk in text, event.title_kk


def test_visit_report_pdf_renders_to_pages(seed_visit, reader, tmp_path):
    client = Client()
    client.force_login(reader)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(f"/visits/{seed_visit.pk}/report.pdf").content)
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 1000 for p in pages)


def test_visit_report_xlsx_totals_equal_the_database(seed_visit, reader):
    client = Client()
    client.force_login(reader)
    book = load_workbook(io.BytesIO(client.get(f"/visits/{seed_visit.pk}/report.xlsx").content))
    sheets = book.worksheets
    events, audiences, receptions = (list(s.iter_rows(values_only=True)) for s in sheets[:3])
    assert events[-1][2] == Event.objects.filter(visit=seed_visit).count() == len(events) - 2
    people = sum(a.count or 0 for a in EventAudience.objects.filter(event__visit=seed_visit))
    assert audiences[-1][1] == people
    from kelisim.appeals.models import Visitor

    assert receptions[-1][2] == Visitor.objects.filter(session__visit=seed_visit).count()


def test_dashboard_takes_a_fixed_number_of_queries_and_keeps_to_the_district(
    seed_visit, make_user, django_assert_max_num_queries
):
    korday = make_user("district_coordinator", KORDAY)
    client = Client()
    client.force_login(korday)
    client.get("/dashboard/")
    with django_assert_max_num_queries(
        29
    ):  # the plan table: plans, facts, their districts; tension signals; satisfaction
        page = client.get("/dashboard/", {"from": "2021-01-01", "to": "2023-12-31"})
    body = page.content.decode()
    assert "Қордай ауданы" in body and "Шу ауданы" not in body and "Меркі ауданы" not in body
    regional = make_user("regional_coordinator", "310000000")
    client.force_login(regional)
    assert (
        "Шу ауданы" in client.get("/dashboard/", {"from": "2021-01-01", "to": "2023-12-31"}).content.decode()
    )


def test_summary_command_writes_xlsx_and_docx(seed_visit, tmp_path):
    out = StringIO()
    call_command(
        "summary", "--region", "310000000", "--period", "2023-05", "--output-dir", str(tmp_path), stdout=out
    )
    xlsx = next(tmp_path.glob("*.xlsx"))
    totals = list(load_workbook(xlsx).worksheets[0].iter_rows(values_only=True))
    assert totals[1][1] == Event.objects.filter(start__year=2023, start__month=5).count()
    assert "2023-05" in Document(str(next(tmp_path.glob("*.docx")))).paragraphs[0].text
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("summary", "--region", "310000000", "--period", "May 2023", stdout=out)


def test_the_dashboard_counts_appeals_by_status_within_the_users_scope_and_dates(seed_visit, make_user):
    from collections import Counter
    from datetime import date

    from kelisim.appeals.models import Appeal
    from kelisim.reports import dashboards

    korday = make_user("district_coordinator", KORDAY)
    period = (date(2021, 1, 1), date(2026, 12, 31))
    board = dashboards.build(user=korday, territory=None, date_from=period[0], date_to=period[1])
    expected = Counter(
        Appeal.objects.filter(
            territory__path__startswith=korday.memberships.get().territory.path,
            received_on__range=period,
        ).values_list("status", flat=True)
    )
    assert expected and {row["status"]: row["n"] for row in board.appeals_by_status} == dict(expected)
