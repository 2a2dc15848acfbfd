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
