"""The recall round of the extractor: each mechanism on Kazakh and Russian sentences written for the
tests (none taken from a corpus)."""

from __future__ import annotations

from kelisim.text.extract import extract_events


def _formats(text: str) -> list[str]:
    return [e["format"] for e in extract_events(text)]


# --- a list of kinds of activity sums up a project ------------------------------------------------


def test_a_plural_list_of_formats_is_a_summary_not_events():
    text = (
        "Ауданда жоба аяқталды. Жоба барысында семинарлар, кездесулер, концерттер өтті. "
        "Кеше жастар арасында эссе байқауының нәтижелері шығарылды."
    )
    assert _formats(text) == ["other"]


def test_one_plural_format_is_still_reported():
    assert _formats("Кеше ауылда кездесулер өтті.") == ["meeting"]


# --- a surname in capitals -------------------------------------------------------------------------


def test_a_surname_in_capitals_is_a_name():
    from kelisim.text.extract.people import find_people

    sentence = (
        "В форуме приняли участие аким области Марат КАСЫМОВ и член ассоциации психологов Лола ШАКИРОВА."
    )
    names = [p.name for p in find_people(sentence, "ru")]
    assert names == ["Марат КАСЫМОВ", "Лола ШАКИРОВА"]


def test_an_abbreviation_is_no_surname():
    from kelisim.text.extract.people import find_people

    assert find_people("Члены АНК области провели встречу со студентами.", "ru") == []
