"""Paper entry takes the codes printed on the questionnaire: the print and the entry share one numbering."""

import re

from django.test import Client

from kelisim.surveys import services
from kelisim.surveys.models import Instrument, Response
from kelisim.surveys.scoring import TOLERANCE_DIRECT, TOLERANCE_ITEMS

KORDAY = "314800000"


def _printed(client: Client, pk: int) -> dict[str, dict[str, str]]:
    """Question name -> {choice label: code}, read from the printed questionnaire's HTML."""
    html = client.get(f"/surveys/{pk}/print/").content.decode()
    printed: dict[str, dict[str, str]] = {}
    for name, body in re.findall(r'<li data-name="([^"]+)">(.*?)</li>\s*(?=<li data-name|</ol>)', html, re.S):
        printed[name] = {
            label.strip(): code
            for code, label in re.findall(
                r'<li data-code="([^"]+)"><span class="code">[^<]+</span>([^<]+)</li>', body
            )
        }
    return printed


def _setup(make_user):  # type: ignore[no-untyped-def]
    services.instruments_install_ready()
    instrument = Instrument.objects.get(code="tolerance_index")
    client = Client()
    client.force_login(make_user("specialist", KORDAY))
    return instrument, client


def test_the_codes_printed_on_the_questionnaire_are_the_codes_paper_entry_takes(make_user, territory):
    instrument, client = _setup(make_user)
    printed = _printed(client, instrument.pk)
    # Named choices are numbered 1, 2, 3 in the form's order; the agreement scale keeps its 1-6.
    assert printed["age_band"]["18–24"] == "2" and printed["gender"]["Ер"] == "2"
    assert set(printed["t01"].values()) == {"1", "2", "3", "4", "5", "6"}
    row = {
        "territory": KORDAY,
        "collected_on": "2023-05-12",
        "age_band": printed["age_band"]["18–24"],
        "gender": printed["gender"]["Әйел"],
        "language": printed["language"]["қазақ тілі"],
        "occupation": printed["occupation"]["оқушы немесе студент"],
    }
    for n, item in enumerate(TOLERANCE_ITEMS, start=1):
        row[item] = str(4 if n in TOLERANCE_DIRECT else 3)
    saved = client.post(f"/surveys/{instrument.pk}/paper/", row, HTTP_HX_REQUEST="true")
    response = Response.objects.get()
    assert saved.context["saved"] == response and response.total == 88
    assert "18_24" in str(response.answers) and "female" in str(response.answers)


def test_choice_names_are_still_taken(make_user, territory):
    instrument, client = _setup(make_user)
    row = {"territory": KORDAY, "collected_on": "2023-05-12", "age_band": "18_24", "gender": "female"}
    row.update({"language": "kk", "occupation": "student"})
    row.update({item: "3" for item in TOLERANCE_ITEMS})
    client.post(f"/surveys/{instrument.pk}/paper/", row, HTTP_HX_REQUEST="true")
    assert Response.objects.count() == 1


def test_a_wrong_code_names_the_question_and_its_codes_and_nothing_is_saved(make_user, territory):
    instrument, client = _setup(make_user)
    row = {"territory": KORDAY, "collected_on": "2023-05-12", "age_band": "9", "gender": "1"}
    row.update({"language": "1", "occupation": "1"})
    row.update({item: "3" for item in TOLERANCE_ITEMS})
    refused = client.post(f"/surveys/{instrument.pk}/paper/", row, HTTP_HX_REQUEST="true")
    error = refused.context["errors"]["age_band"]
    assert "1" in error and "1, 2, 3, 4, 5" in error and "9" in error
    assert not Response.objects.exists()
    assert 'value="9"' in refused.content.decode()  # what was typed is shown back to correct


def test_the_grid_shows_each_question_text_and_an_iso_date(make_user, territory):
    instrument, client = _setup(make_user)
    page = client.get(f"/surveys/{instrument.pk}/paper/").content.decode()
    assert "Қызметіңіз" in page  # the question's text, in the page's language (kk)
    assert re.search(
        r'type="date"[^>]*value="\d{4}-\d{2}-\d{2}"|value="\d{4}-\d{2}-\d{2}"[^>]*type="date"', page
    )


def test_a_printed_code_wins_over_a_choice_named_like_it():
    from kelisim.surveys.paper import SELECTS, decode

    # Names that are not all numbers are printed as 1, 2, 3: the "3" on paper is the third choice.
    question = {
        "name": "q",
        "type": SELECTS[0],
        "number": 4,
        "codes": "1, 2, 3",
        "choices": [{"name": "3", "code": "1"}, {"name": "a", "code": "2"}, {"name": "b", "code": "3"}],
    }
    values, errors = decode([question], {"q": "3"})
    assert values == {"q": "b"} and not errors
    assert decode([question], {"q": "a"})[0] == {"q": "a"}  # a name that is nobody's code still reads
