"""Russian declension of classifier names, coordination, months and weekdays (hand-checked)."""

import datetime as dt

import pytest

from kelisim.text.ru_grammar import (
    count_ru,
    date_range_ru,
    date_ru,
    decline,
    decline_in,
    decline_many,
    decline_many_in,
    month_ru,
    on_weekday,
    preposition_v,
    weekday_ru,
)

# (name in the nominative, "в" + prepositional, genitive)
NAMES: list[tuple[str, str, str]] = [
    ("Кордайский район", "в Кордайском районе", "Кордайского района"),
    ("Шуский район", "в Шуском районе", "Шуского района"),
    ("Байзакский район", "в Байзакском районе", "Байзакского района"),
    ("Жамбылский район", "в Жамбылском районе", "Жамбылского района"),
    ("Жуалынский район", "в Жуалынском районе", "Жуалынского района"),
    ("Меркенский район", "в Меркенском районе", "Меркенского района"),
    ("Мойынкумский район", "в Мойынкумском районе", "Мойынкумского района"),
    ("Сарысуский район", "в Сарысуском районе", "Сарысуского района"),
    ("Таласский район", "в Таласском районе", "Таласского района"),
    ("район Турара Рыскулова", "в районе Турара Рыскулова", "района Турара Рыскулова"),
    ("Жамбылская область", "в Жамбылской области", "Жамбылской области"),
    ("Сортобинский сельский округ", "в Сортобинском сельском округе", "Сортобинского сельского округа"),
    ("Аухаттинский сельский округ", "в Аухаттинском сельском округе", "Аухаттинского сельского округа"),
    ("Кордайский сельский округ", "в Кордайском сельском округе", "Кордайского сельского округа"),
    ("Степновский сельский округ", "в Степновском сельском округе", "Степновского сельского округа"),
    (
        "Улкенсулуторский сельский округ",
        "в Улкенсулуторском сельском округе",
        "Улкенсулуторского сельского округа",
    ),
    ("село Сортобе", "в селе Сортобе", "села Сортобе"),
    ("село Кордай", "в селе Кордай", "села Кордай"),
    ("село Аухатты", "в селе Аухатты", "села Аухатты"),
    ("город Тараз", "в городе Таразе", "города Тараза"),
    ("город Астана", "в городе Астане", "города Астаны"),
    ("город Алматы", "в городе Алматы", "города Алматы"),
    ("город Шу", "в городе Шу", "города Шу"),
    ("Тараз", "в Таразе", "Тараза"),
    ("Кордай", "в Кордае", "Кордая"),
    ("Астана", "в Астане", "Астаны"),
    ("Алматы", "в Алматы", "Алматы"),
    ("Сортобе", "в Сортобе", "Сортобе"),
    ("станция Шу", "на станции Шу", "станции Шу"),
]

MONTHS_GEN = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip

ON_WEEKDAY = [
    "в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье",
]  # fmt: skip


@pytest.mark.parametrize(("name", "expected", "_gen"), NAMES)
def test_in_prepositional(name: str, expected: str, _gen: str) -> None:
    assert decline_in(name) == expected


@pytest.mark.parametrize(("name", "_prep", "expected"), NAMES)
def test_genitive(name: str, _prep: str, expected: str) -> None:
    assert decline(name, "gen") == expected


def test_nominative_is_unchanged() -> None:
    assert decline("Кордайский район", "nom") == "Кордайский район"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            ["Сортобинский сельский округ", "Аухаттинский сельский округ"],
            "в Сортобинском и Аухаттинском сельских округах",
        ),
        (["Кордайский район", "Шуский район"], "в Кордайском и Шуском районах"),
        (
            ["Кордайский район", "Шуский район", "Меркенский район"],
            "в Кордайском, Шуском и Меркенском районах",
        ),
        (["Жамбылская область", "Алматинская область"], "в Жамбылской и Алматинской областях"),
        (["Кордайский район"], "в Кордайском районе"),
    ],
)
def test_coordinated_prepositional(names: list[str], expected: str) -> None:
    assert decline_many_in(names) == expected


@pytest.mark.parametrize(
    ("names", "case", "expected"),
    [
        (
            ["Сортобинский сельский округ", "Аухаттинский сельский округ"],
            "gen",
            "Сортобинского и Аухаттинского сельских округов",
        ),
        (
            ["Сортобинский сельский округ", "Аухаттинский сельский округ"],
            "nom",
            "Сортобинский и Аухаттинский сельские округа",
        ),
        (["Кордайский район", "Шуский район"], "gen", "Кордайского и Шуского районов"),
        (["село Сортобе", "село Кордай"], "prep", "селе Сортобе и селе Кордай"),
    ],
)
def test_coordinated(names: list[str], case: str, expected: str) -> None:
    assert decline_many(names, case) == expected


@pytest.mark.parametrize(("month", "expected"), list(enumerate(MONTHS_GEN, start=1)))
def test_month_genitive(month: int, expected: str) -> None:
    assert month_ru(month) == expected


def test_month_nominative_and_prepositional() -> None:
    assert month_ru(5, "nom") == "май"
    assert month_ru(5, "prep") == "мае"
    assert month_ru(9, "prep") == "сентябре"


@pytest.mark.parametrize(("index", "expected"), list(enumerate(ON_WEEKDAY)))
def test_on_weekday(index: int, expected: str) -> None:
    assert on_weekday(index) == expected


def test_weekday_from_a_date() -> None:
    assert weekday_ru(dt.date(2023, 5, 12)) == "пятница"
    assert on_weekday(dt.date(2023, 5, 12)) == "в пятницу"


@pytest.mark.parametrize(
    ("start", "end", "with_year", "expected"),
    [
        (dt.date(2023, 5, 10), dt.date(2023, 5, 12), False, "10–12 мая"),
        (dt.date(2023, 4, 30), dt.date(2023, 5, 2), False, "30 апреля – 2 мая"),
        (dt.date(2023, 5, 10), dt.date(2023, 5, 12), True, "10–12 мая 2023 года"),
        (dt.date(2023, 4, 30), dt.date(2023, 5, 2), True, "30 апреля – 2 мая 2023 года"),
        (dt.date(2023, 12, 30), dt.date(2024, 1, 2), False, "30 декабря 2023 года – 2 января 2024 года"),
        (dt.date(2023, 5, 12), dt.date(2023, 5, 12), False, "12 мая"),
    ],
)
def test_date_range(start: dt.date, end: dt.date, with_year: bool, expected: str) -> None:
    assert date_range_ru(start, end, with_year=with_year) == expected


def test_date() -> None:
    assert date_ru(dt.date(2023, 3, 8)) == "8 марта"
    assert date_ru(dt.date(2023, 3, 8), with_year=True) == "8 марта 2023 года"


def test_reversed_range_is_rejected() -> None:
    with pytest.raises(ValueError, match="ends before"):
        date_range_ru(dt.date(2023, 5, 12), dt.date(2023, 5, 10))


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Кордайском", "в"), ("вторник", "во"), ("Владимире", "во"), ("Франции", "во"), ("Фёдоровке", "в")],
)
def test_preposition_v(word: str, expected: str) -> None:
    assert preposition_v(word) == expected


def test_unknown_case() -> None:
    with pytest.raises(ValueError, match="unknown case"):
        decline("Кордайский район", "dat")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 гражданин"),
        (2, "2 гражданина"),
        (4, "4 гражданина"),
        (5, "5 граждан"),
        (11, "11 граждан"),
        (12, "12 граждан"),
        (14, "14 граждан"),
        (21, "21 гражданин"),
        (22, "22 гражданина"),
        (111, "111 граждан"),
        (0, "0 граждан"),
    ],
)
def test_count_ru_chooses_the_form_the_number_governs(n: int, expected: str) -> None:
    assert count_ru(n, ("гражданин", "гражданина", "граждан")) == expected
