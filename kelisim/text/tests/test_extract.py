"""Extraction of event records from press releases (`kelisim extract`).

Given a release (the seed, the dev corpus, or a few lines written here), when it is extracted, then
the records carry what the annotation rules of shared/corpus/dev/README.md ask for.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import kelisim
from kelisim.text.extract import extract_events
from kelisim.text.extract.cli import run
from kelisim.text.extract.dates import find_dates
from kelisim.text.extract.language import detect_language
from kelisim.text.extract.people import find_people
from kelisim.text.extract.places import find_places
from kelisim.text.extract.reading import UnreadableDocument, read_text

SHARED = Path(kelisim.__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "press-release-kk.txt"
DEV = SHARED / "corpus" / "dev"
SCORER = SHARED / "corpus" / "score.py"

needs_shared = pytest.mark.skipif(
    not SEED.exists(), reason="../shared (seed and corpus) is not beside the project"
)


# --- the seed --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_events() -> list[dict]:
    return extract_events(SEED.read_text(encoding="utf-8"))


@needs_shared
def test_seed_events_are_dated_10_12_may_in_korday_district(seed_events):
    # given the founding release, when extracted, then its events are the working group's 10-12 May in Korday
    assert len(seed_events) >= 6
    assert {e["format"] for e in seed_events} >= {
        "citizen_reception",
        "meeting",
        "cultural_event",
        "dialogue_platform",
        "focus_group",
    }
    assert any(e["date_text"] == "10-12 мамыр күндері" for e in seed_events)
    assert all(e["district"] == "Қордай ауданы" for e in seed_events)
    assert all(e["kato"]["district"] == "314800000" for e in seed_events)
    assert all(e["region"] == "Жамбыл облысы" and e["kato"]["region"] == "310000000" for e in seed_events)


@needs_shared
def test_seed_dialogue_platform_is_in_sortobe_and_aukhatty_okrugs(seed_events):
    dialogue = next(e for e in seed_events if e["format"] == "dialogue_platform")
    assert "Сортөбе" in dialogue["settlement"] and "Ауқатты" in dialogue["settlement"]
    assert dialogue["kato"]["settlements"] == ["314854000", "314833000"]


@needs_shared
def test_seed_named_officials_with_their_positions(seed_events):
    officials = {o["name"]: o["position"] for e in seed_events for o in e["officials"]}
    assert set(officials) == {
        "Әбілхайыр Сабырұлы",
        "Қ.Ырысдәулет",
        "Ғ.Алимжанов",
        "Е.Қаншымбеков",
        "Р.Ерханұлы",
    }
    assert officials["Әбілхайыр Сабырұлы"].endswith("«Дін проблемаларын зерттеу орталығының» инспекторы")
    assert officials["Қ.Ырысдәулет"] == "Жамбыл облысы әкімдігінің ішкі саясат басқармасының бөлім басшысы"
    assert officials["Ғ.Алимжанов"] == "Қордай ауданы әкімдігінің ішкі саясат бөлімі басшысының м.а"
    assert officials["Е.Қаншымбеков"].endswith("ғылыми-сараптамалық қолдау бөлімінің бас сарапшысы")
    assert officials["Р.Ерханұлы"].endswith("бөлімінің әдіскері")


@needs_shared
def test_seed_dates_need_the_publication_date_for_biyl(seed_events):
    # "биыл" (this year) fixes the year only when the publication date is given
    assert all(e["date_start"] is None for e in seed_events)
    dated = extract_events(SEED.read_text(encoding="utf-8"), pub_date=dt.date(2025, 5, 14))
    reception = next(e for e in dated if e["format"] == "citizen_reception")
    assert (reception["date_start"], reception["date_end"]) == ("2025-05-10", "2025-05-12")


# --- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "text", "day", "day_end", "month", "year"),
    [
        ("10-12 мамыр күндері Қордай ауданында болды", "10-12 мамыр күндері", 10, 12, 5, None),
        ("2024 жылғы 17-18 сәуір күндері жұмыс тобы", "2024 жылғы 17-18 сәуір күндері", 17, 18, 4, 2024),
        ("2023 жылғы 12 қазанда сауалнама жүргізді", "2023 жылғы 12 қазанда", 12, None, 10, 2023),
        ("19 наурызда Достық үйінде", "19 наурызда", 19, None, 3, None),
        ("25-26 сентября рабочая группа", "25-26 сентября", 25, 26, 9, None),
        ("С 14 по 18 октября специалисты провели", "С 14 по 18 октября", 14, 18, 10, None),
        ("2–3 октября 2024 года в городе", "2–3 октября 2024 года", 2, 3, 10, 2024),
        ("прошла 15.05.2024 в селе", "15.05.2024", 15, None, 5, 2024),
    ],
)
def test_absolute_dates_kk_and_ru(sentence, text, day, day_end, month, year):
    mention = find_dates(sentence)[0]
    assert (mention.text, mention.day, mention.day_end, mention.month, mention.year) == (
        text,
        day,
        day_end,
        month,
        year,
    )


@pytest.mark.parametrize(
    ("sentence", "text", "kind", "relative"),
    [
        ("Үш күнге созылған шаралар жұма күні қорытыланды.", "жұма күні", "weekday", None),
        ("Өткен сейсенбіде отырыс болды.", "Өткен сейсенбіде", "weekday", None),
        ("В минувшую пятницу в Доме дружбы", "В минувшую пятницу", "weekday", None),
        ("Екінші күні диалог алаңы өтті.", "Екінші күні", "relative", 2),
        ("Сол күні түстен кейін кездесті.", "Сол күні түстен кейін", "relative", "same"),
        ("На следующий день в сельском клубе", "На следующий день", "relative", "next"),
    ],
)
def test_weekdays_and_relative_days(sentence, text, kind, relative):
    mention = find_dates(sentence)[0]
    assert (mention.text, mention.kind, mention.relative) == (text, kind, relative)


def test_years_alone_deadlines_and_holidays_are_not_event_dates():
    assert find_dates("Мемлекет басшысының тапсырмасымен 2020 жылы бастау алған жоба") == []
    assert find_dates("Заявки принимаются до 20 января 2025 года включительно.") == []
    assert find_dates("Өтінімдер 2025 жылғы 10 қазанға дейін қабылданады.") == []
    assert find_dates("1 наурыз – Қазақстан халқының Алғыс айту күні") == []


def test_relative_days_resolve_against_the_series_date():
    text = (
        "ЖҰМЫС ТОБЫ БОЛДЫ\n"
        "Жұмыс тобы 2024 жылғы 17-18 сәуір күндері Бәйзақ ауданында болды.\n"
        "Алғашқы күні Сарыкемер ауылындағы мәдениет үйінде тұрғындарды көшпелі қабылдау ұйымдастырылды.\n"
        "Осы күні аудандық орталық мешітте аудан имамдарымен кездесу өтті.\n"
        "Екінші күні Түймекент ауылдық округінде ашық диалог алаңы өтті.\n"
    )
    dates = [(e["date_text"], e["date_start"], e["date_end"]) for e in extract_events(text)]
    assert dates == [
        ("Алғашқы күні", "2024-04-17", "2024-04-17"),
        ("Осы күні", "2024-04-17", "2024-04-17"),
        ("Екінші күні", "2024-04-18", "2024-04-18"),
    ]


def test_biyl_and_v_etom_godu_take_the_year_of_the_publication_date():
    kk = "Жоба биыл да жалғасты. 10-12 мамыр күндері Қордай ауданында ашық диалог алаңы өтті."
    ru = "В этом году 5 июня в селе Кордай Кордайского района прошла встреча с аксакалами."
    assert extract_events(kk, pub_date=dt.date(2024, 6, 1))[0]["date_start"] == "2024-05-10"
    assert extract_events(ru, pub_date=dt.date(2023, 6, 9))[0]["date_start"] == "2023-06-05"
    assert extract_events(kk)[0]["date_start"] is None


# --- places ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "language", "name", "code"),
    [
        ("Жұмыс тобы Қордай ауданында болды.", "kk", "Қордай ауданы", "314800000"),
        (
            "Қордай ауданының Сортөбе ауылдық округінде диалог алаңы өтті.",
            "kk",
            "Сортөбе ауылдық округі",
            "314854000",
        ),
        ("Ауқатты ауылындағы клубта кездесу өтті.", "kk", "Ауқатты ауылы", "314833100"),
        ("Бәйзақ ауданы әкімінің орынбасары", "kk", "Бәйзақ ауданы", "313600000"),
        ("Түркістан облысы Сайрам ауданында", "kk", "Түркістан облысы", "610000000"),
        ("отдел внутренней политики Кордайского района", "ru", "Кордайский район", "314800000"),
        ("прошла в городе Щучинске Бурабайского района", "ru", "город Щучинск", "117020100"),
        ("в Киелитасском сельском округе", "ru", "Киелитасский сельский округ", "615848000"),
        ("управление внутренней политики Алматинской области", "ru", "Алматинская область", "190000000"),
    ],
)
def test_places_resolve_through_inflected_forms(sentence, language, name, code):
    place = next(p for p in find_places(sentence, language) if p.name == name)
    assert code in place.codes


def test_city_of_regional_significance_has_no_district():
    event = extract_events("22-23 мамыр күндері Тараз қаласындағы жастар орталығында оқыту семинары өтті.")[0]
    assert (event["district"], event["settlement"]) == (None, "Тараз қаласы")


# --- officials -------------------------------------------------------------------------------------


def test_kazakh_initials_come_back_to_the_nominative():
    people = find_people("Теолог Д.Сейітқасымовтың айтуынша, Қ.Ырысдәулетке сұрақ қойылды.", "kk")
    assert [p.name for p in people] == ["Д.Сейітқасымов", "Қ.Ырысдәулет"]
    assert people[0].position == "Теолог"


def test_russian_surname_and_position_in_the_genitive_are_put_in_the_nominative():
    sentence = "Интерес вызвало выступление доцента Мельникова А.В., члена научно-экспертной группы АНК, который рассказал о языках."
    person = find_people(sentence, "ru")[0]
    assert (person.name, person.position) == ("Мельников А.В.", "доцент, член научно-экспертной группы АНК")


def test_russian_female_surname_in_the_nominative_stays():
    person = find_people("Во встрече приняли участие заместитель акима района Иванова Е.П. и гости.", "ru")[0]
    assert (person.name, person.position) == ("Иванова Е.П.", "заместитель акима района")


def test_a_list_of_officials_keeps_each_position_apart():
    sentence = "Диалог алаңына облыстық басқарманың бөлім басшысы Н.Әбдіқадыров пен Бәйзақ ауданы әкімінің орынбасары С.Жұмабекова қатысты."
    assert [(p.name, p.position) for p in find_people(sentence, "kk")] == [
        ("Н.Әбдіқадыров", "облыстық басқарманың бөлім басшысы"),
        ("С.Жұмабекова", "Бәйзақ ауданы әкімінің орынбасары"),
    ]


# --- what is not an event --------------------------------------------------------------------------


def test_announcements_plans_and_statistics_are_not_events():
    assert (
        extract_events(
            "Басқарма 2025 жылғы 1 қазанда облыстық байқау өткізеді. Марапаттау қараша айында өтеді."
        )
        == []
    )
    assert (
        extract_events(
            "По его словам, с начала года проведено более 40 выездных приёмов и диалоговых площадок."
        )
        == []
    )


# --- bad input -------------------------------------------------------------------------------------


def _docx(path: Path, paragraphs: list[str]) -> Path:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "word/document.xml", f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
        )
    return path


@pytest.mark.parametrize(
    ("content", "reason", "words"),
    [
        (b"", "empty", "empty"),
        (bytes(range(256)) * 4, "binary", "not a text file"),
        (
            b"The working group met residents of Korday district on 10 May and held a dialogue platform.",
            "english",
            "English",
        ),
    ],
)
def test_bad_input_gets_a_message_no_events_and_a_failing_status(tmp_path, content, reason, words):
    path = tmp_path / "release.txt"
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    status = run([str(path)], None, None, out, err)
    assert status == 1
    assert json.loads(out.getvalue()) == {"file": str(path), "events": [], "error": reason}
    assert str(path) in err.getvalue() and words in err.getvalue()


def test_the_management_command_fails_on_bad_input_but_prints_the_good_files(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    good = tmp_path / "good.txt"
    good.write_text(
        "15 наурызда Шу ауданы әкімдігінің мәжіліс залында профилактикалық кездесу өтті.", encoding="utf-8"
    )
    with pytest.raises(CommandError):
        call_command("extract", str(empty), str(good))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [len(line["events"]) for line in lines] == [0, 1]
    assert lines[1]["events"][0]["venue"] == "Шу ауданы әкімдігінің мәжіліс залы"


def test_docx_is_read_paragraph_by_paragraph(tmp_path):
    path = _docx(tmp_path / "release.docx", ["ШУДА КЕЗДЕСУ ӨТТІ", "15 наурызда Шу ауданында кездесу өтті."])
    assert read_text(path) == "ШУДА КЕЗДЕСУ ӨТТІ\n15 наурызда Шу ауданында кездесу өтті."
    out, err = io.StringIO(), io.StringIO()
    assert run([str(path)], None, None, out, err) == 0
    assert json.loads(out.getvalue())["events"][0]["district"] == "Шу ауданы"


def test_a_broken_docx_is_refused(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableDocument) as error:
        read_text(path)
    assert error.value.reason == "bad_docx"


def test_language_detection():
    assert detect_language("Жоба аясында жұмыс тобы Қордай ауданында болып, тұрғындармен кездесті.") == "kk"
    assert (
        detect_language("В рамках проекта «Бейбітшілік пен келісім» в селе прошла встреча с жителями района.")
        == "ru"
    )
    assert detect_language("The project continued this year in the Korday district.") is None


# --- quality on the dev corpus --------------------------------------------------------------------


@needs_shared
def test_dev_corpus_scores_meet_the_targets():
    # given the corpus scorer and the command as the CI runs it, when it scores the dev corpus,
    # then the overall F1 and the key fields meet the targets
    command = f"{sys.executable} -m kelisim extract"
    result = subprocess.run(
        [sys.executable, str(SCORER), "--corpus", str(DEV), "--cmd", command, "--json"],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    report = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    fields = report["fields"]
    assert report["overall_f1"] >= 0.875  # 0.887 (docs/extraction.md); it must not fall
    for field in ("events", "format", "district", "official_name"):
        assert fields[field]["f1"] >= 0.90, (field, fields[field])


# --- capabilities for real releases ---------------------------------------------------------------
# The sentences below are written for the tests in the genre of akimat releases; none is taken from a
# corpus.


def _formats(text: str) -> list[str]:
    return [e["format"] for e in extract_events(text)]


def test_a_count_word_is_matched_on_word_boundaries():
    # "түрлі" (various) inside "дәстүрлі" (traditional) is no count that would make the event statistics
    assert _formats("Ауыл клубында дәстүрлі фестиваль өтті.") == ["cultural_event"]
    assert _formats("Ауылда түрлі фестивальдер өтті.") == []


def test_an_anniversary_is_not_a_count():
    assert _formats("Ассамблеяның 30 жылдығына арналған дөңгелек үстел өтті.") == ["round_table"]
    assert _formats("К 30-летию Ассамблеи в районной библиотеке прошел круглый стол.") == ["round_table"]
    assert _formats("В районах прошло более 30 круглых столов.") == []


def test_a_short_lead_sentence_is_not_taken_for_a_headline():
    text = "Ақсақалдар кеңесінің отырысы өтті.\nОтырысқа аудан әкімінің орынбасары Асқар Бекұлы қатысып, ауылдағы жол мәселесін баяндады."
    events = extract_events(text)
    assert [e["format"] for e in events] == ["meeting"]
    assert events[0]["officials"][0]["name"] == "Асқар Бекұлы"


def test_an_event_named_only_in_the_headline():
    text = (
        "АУЫЛДА КОНЦЕРТ ПЕН ВОЛЕЙБОЛ ЖАРЫСЫ ӨТТІ\n"
        "Сенбі күні ауыл клубында мерекелік концерт өтті. Концертке ауыл тұрғындары мен мектеп оқушылары қатысты."
    )
    assert sorted(_formats(text)) == ["cultural_event", "sport_event"]


def test_a_release_whose_only_event_has_no_usual_frame_still_reports_it():
    # no "өтті/провели" next to the format noun: the only past-tense format of the release is its event
    assert _formats(
        "Бүгін Достық үйінде ашық есік күні. Оған мектеп оқушылары келіп, кабинеттерді аралады."
    ) == ["other"]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("Аудан әкімдігінде қоғамдық қабылдау өтті.", "citizen_reception"),
        ("Ауыл әкімі тұрғындарды жеке мәселелері бойынша қабылдады.", "citizen_reception"),
        ("Ауыл тұрғындарымен түсіндіру жұмыстары жүргізілді.", "meeting"),
        ("Мемлекеттік қызметшілерге арналған біліктілікті арттыру курсы өтті.", "training"),
        ("Мектепте «Туған өлкем» атты суреттер байқауы өтті.", "cultural_event"),
        ("Достық үйінде салтанатты шара өтті.", "cultural_event"),
        ("Жобаның кезекті кездесуі Ақсу ауылында жалғасын тапты.", "meeting"),
        ("В селе прошла информационно-разъяснительная работа с жителями.", "meeting"),
        ("Среди молодежи района проведено социологическое исследование.", "survey"),
        (
            "Аудандық мәдениет үйіндегі семинарда діни экстремизмнің алдын алу мәселелері талқыланды.",
            "training",
        ),
        ("Аким района побывал на выставке народных ремесел.", "cultural_event"),
    ],
)
def test_the_genre_lexicon_knows_more_formats_and_verbs_of_holding(text, fmt):
    assert _formats(text) == [fmt]


def test_announcements_and_habits_are_still_not_events():
    assert _formats("Ертең Достық үйінде мерекелік концерт ұйымдастырылады.") == []
    assert _formats("Ақсақалдар кеңесі жыл сайын тұрғындармен кездесу өткізіп келеді.") == []
    assert _formats("Облыс әкімі Серікбек Нұрланов 15 наурызда тұрғындармен кездесу өткізбек.") == []


def test_several_events_enumerated_in_one_sentence_each_keep_their_place():
    text = "В субботу на центральной площади прошли автопробег и ярмарка, а в спортивном зале школы – соревнования по волейболу."
    events = extract_events(text)
    by_format = {}
    for event in events:
        by_format.setdefault(event["format"], []).append(event)
    assert len(by_format["other"]) == 2
    assert by_format["sport_event"][0]["venue"] == "спортивный зал школы"


@pytest.mark.parametrize(
    ("sentence", "text", "kind"),
    [
        (
            "Маусым-қыркүйек айлары аралығында ауылдарда кездесулер өтті.",
            "Маусым-қыркүйек айлары аралығында",
            "span",
        ),
        ("Бүгін аудандық кітапханада дөңгелек үстел өтті.", "Бүгін", "deictic"),
        ("Жақында Достық үйінде кездесу өтті.", "Жақында", "deictic"),
        ("Наурыз мейрамы қарсаңында ақсақалдармен кездесу өтті.", "Наурыз мейрамы қарсаңында", "occasion"),
        (
            "В преддверии Дня Независимости в школе прошла встреча.",
            "В преддверии Дня Независимости",
            "occasion",
        ),
        ("Сегодня в Доме дружбы прошел круглый стол.", "Сегодня", "deictic"),
    ],
)
def test_dates_of_ranges_deictic_days_and_occasions_are_kept_as_written(sentence, text, kind):
    mention = find_dates(sentence)[0]
    assert (mention.text, mention.kind) == (text, kind)
    assert extract_events(sentence)[0]["date_text"] == text


def test_a_year_written_after_the_month_dates_the_event():
    event = extract_events("14 мамыр 2023 жылы Тараз қаласындағы мұражайда дөңгелек үстел өтті.")[0]
    assert (event["date_start"], event["date_text"]) == ("2023-05-14", "14 мамыр 2023 жылы")


def test_a_date_of_something_to_come_is_not_the_event_date():
    event = extract_events("Ауылда алдағы 15 наурызда өтетін референдум бойынша тұрғындармен кездесу өтті.")[
        0
    ]
    assert event["date_text"] is None


def test_the_current_year_takes_a_year_written_nearby():
    text = "2024 жыл – Жұмысшы мамандықтар жылы. Ағымдағы жылдың 12 наурызында аудандық кітапханада кездесу өтті."
    assert extract_events(text)[0]["date_start"] == "2024-03-12"


def test_an_oblast_named_only_by_the_adjective_of_a_bodys_name():
    event = extract_events("Жамбыл облыстық ғылыми кітапханасында ақындармен кездесу өтті.")[0]
    assert event["region"] == "Жамбыл облысы" and event["kato"]["region"] == "310000000"


@pytest.mark.parametrize(
    ("text", "settlement"),
    [
        ("Өскеменде дөңгелек үстел өтті.", "Өскемен қаласы"),
        ("Вчера в Актау прошла встреча с молодежью.", "город Актау"),
        (
            "В КЫЗЫЛОРДЕ ПРОШЕЛ ФОРУМ\n10 октября в областной библиотеке прошел форум молодежи.",
            "город Кызылорда",
        ),
    ],
)
def test_a_city_named_without_its_type_word_is_the_settlement(text, settlement):
    assert extract_events(text)[0]["settlement"] == settlement


def test_places_inside_a_bodys_name_or_a_visitors_origin_are_not_the_settlement():
    text = "Достық үйінде Тараз қаласының №5 мектебінің оқушыларымен кездесу өтті. Түркістан облысынан келген қонақтар да қатысты."
    event = extract_events(text)[0]
    assert event["settlement"] is None
    assert event["region"] is None


def test_the_akim_of_the_region_and_his_first_name_make_no_place():
    event = extract_events("Аким области Жетісу Ерлан Сапаров встретился с молодежью Талдыкоргана.")[0]
    assert event["region"] == "область Жетісу"
    assert [o["name"] for o in event["officials"]] == ["Ерлан Сапаров"]


@pytest.mark.parametrize(
    ("sentence", "language", "expected"),
    [
        ("Кездесуге өлкетанушы Ернар Мажит қатысты.", "kk", [("Ернар Мажит", "өлкетанушы")]),
        (
            "Жиынға ардагерлер Айгүл Серікқызы Омарова мен Болат Қасымұлы Жақыпов қатысты.",
            "kk",
            [("Айгүл Серікқызы Омарова", "ардагерлер"), ("Болат Қасымұлы Жақыпов", "ардагерлер")],
        ),
        (
            "Выступила преподаватель местного колледжа – Иванова А.С.",
            "ru",
            [("Иванова А.С.", "преподаватель местного колледжа")],
        ),
        ("С приветствием выступил Петров Олег.", "ru", [("Петров Олег", None)]),
        (
            "Отчеты заслушаны у руководителя отдела Руслана Ахметова.",
            "ru",
            [("Руслан Ахметов", "руководитель отдела")],
        ),
    ],
)
def test_officials_without_typical_surnames_coordinated_or_after_a_dash(sentence, language, expected):
    assert [(p.name, p.position) for p in find_people(sentence, language)] == expected


def test_bylines_and_named_after_are_not_participants():
    assert find_people("Авторлар: Әсел Бекова, Айдос Серікұлы", "kk") == []
    assert find_people("Лекцию прочитал доцент академии им. Ш. Уалиханова.", "ru") == []


def test_an_attendee_list_gives_each_group_and_shares_a_head():
    text = "Кездесуге қоғамдық, діни бірлестіктердің, мәслихаттың өкілдері, мектеп оқушылары және ауыл тұрғындары қатысты."
    audiences = extract_events("Ауылда кездесу өтті. " + text)[0]["audiences"]
    assert (
        "қоғамдық, діни бірлестіктердің өкілдері" in audiences
        or "қоғамдық діни бірлестіктердің өкілдері" in audiences
    )
    assert "мәслихаттың өкілдері" in audiences
    assert {"мектеп оқушылары", "ауыл тұрғындары"} <= set(audiences)
    ru = "В библиотеке прошла встреча. В мероприятии приняли участие студенты колледжа, преподаватели и ветераны труда."
    assert {"студенты колледжа", "преподаватели", "ветераны труда"} <= set(extract_events(ru)[0]["audiences"])


def test_topics_from_titles_aims_and_what_was_told():
    text = (
        "«Рухани жаңғыру» жобасы аясында аудандық кітапханада кездесу өтті. Шараның мақсаты – жастар арасында "
        "патриотизмді нығайту, ана тілін құрметтеу. Кездесуде ақындар шығармашылығы туралы айтылды."
    )
    topics = extract_events(text)[0]["topics"]
    assert "«Рухани жаңғыру» жобасы" in topics
    assert "жастар арасында патриотизмді нығайту" in topics
    assert "ана тілін құрметтеу" in topics
    ru = "В школе прошла встреча. На встрече говорилось о профилактике мошенничества в сети."
    assert any("профилактике мошенничества" in t for t in extract_events(ru)[0]["topics"])


# --- quality on the real corpus -------------------------------------------------------------------

REAL = SHARED / "corpus" / "real"
needs_real = pytest.mark.skipif(
    not (REAL / "index.jsonl").exists(), reason="../shared/corpus/real is not there"
)


@needs_real
def test_real_corpus_scores_do_not_fall_back():
    # given the real releases of ../shared/corpus/real (read there, never copied), when scored, then the
    # figures of docs/extraction.md hold (the targets are further: see the doc's known limits)
    command = f"{sys.executable} -m kelisim.text.extract"
    result = subprocess.run(
        [sys.executable, str(SCORER), "--corpus", str(REAL), "--cmd", command, "--json"],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    report = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    fields = report["fields"]
    assert report["overall_f1"] >= 0.80  # 0.808 in docs/extraction.md (the target: 0.80)
    floors = {
        "events": 0.95, "format": 0.92, "district": 0.90, "official_name": 0.92, "official_position": 0.90,
        "topics": 0.59, "audiences": 0.73, "organizations": 0.63, "venue": 0.83, "settlement": 0.85,
        "region": 0.93, "date_text": 0.89,
    }  # fmt: skip
    for field, floor in floors.items():
        assert fields[field]["f1"] >= floor, (field, fields[field])


def test_kazakh_in_latin_letters_is_read_through_cyrillic_and_answered_in_latin():
    text = "Taraz qalasyndaǵy ortalyq kitaphanada «Birlik – bizdiń kúshimiz» atty dóńgelek ústel ótti. Oǵan jastar qatysty."
    event = extract_events(text)[0]
    assert event["format"] == "round_table"
    assert event["venue"] == "ortalyq kitaphana"
    assert event["settlement"] == "Taraz qalasy"


def test_the_events_next_sentence_dates_it_and_a_founding_date_does_not():
    text = "Аудандық мәслихат депутаттары еңбек ұжымдарымен кездесулер өткізді. 2023 жылғы 5 мамырда депутаттар колледжде болып, студенттермен кездесті."
    event = extract_events(text)[0]
    assert (event["date_text"], event["date_start"]) == ("2023 жылғы 5 мамырда", "2023-05-05")
    founded = extract_events("Мамыр айында бастау алған жобаның фестивалі бүгін аудан орталығында өтті.")[0]
    assert founded["date_text"] == "бүгін"
    ru = extract_events(
        "Форум был посвящен Дню учителя, который отмечается 5 октября. Форум прошел в Доме дружбы."
    )[0]
    assert ru["date_text"] is None
