"""Every unit has a Kazakh name (official or derived); an administrator corrects a derived one."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from kelisim.core.models import AuditEntry
from kelisim.territories.models import NameSource, Territory
from kelisim.territories.selectors import territory_search
from kelisim.territories.services import territories_load


@pytest.mark.django_db
def test_every_unit_of_the_shipped_classifier_gets_a_kazakh_name_and_the_picker_finds_them():
    call_command("load_territories", stdout=StringIO(), verbosity=0)
    assert Territory.objects.count() >= 16_000
    assert not Territory.objects.filter(name_kk="").exists()
    sources = {s: Territory.objects.filter(name_kk_source=s).count() for s in NameSource.values}
    assert sources[NameSource.OFFICIAL] == 34 and sources[NameSource.DERIVED] >= 16_000
    # The examples: Kazakh pages showed с.Каракемер, рзд.Бель, Акерменский с.о.
    by_ru = {t.name_ru: t.name_kk for t in Territory.objects.filter(name_ru__in=["с.Каракемер", "рзд.Бель"])}
    assert by_ru == {"с.Каракемер": "Қаракемер ауылы", "рзд.Бель": "Бел разъезі"}
    akermen = Territory.objects.get(name_ru="Акерменский с.о.")
    assert akermen.name_kk == "Ақермен ауылдық округі"
    # ... and the search found nothing for «Ақермен» or «Түркістан облысы».
    assert akermen.code in [t.code for t in territory_search("Ақермен")]
    assert Territory.objects.get(code="610000000").code in [
        t.code for t in territory_search("Түркістан облысы")
    ]
    assert "610000000" in [t.code for t in territory_search("Туркестанская")]


@pytest.mark.parametrize("query", ["Қордай", "Кордай", "Кордайский", "КОРДАЙСКОГО"])
def test_the_picker_finds_a_unit_in_any_spelling(zhambyl, query):
    assert "314800000" in [t.code for t in territory_search(query)]


def test_kazakh_and_russian_spellings_find_the_same_units(zhambyl):
    for kazakh, russian in [("Қордай", "Кордай"), ("Сортөбе", "Сортобе"), ("Ауқатты", "Аухатты")]:
        assert {t.code for t in territory_search(kazakh, limit=500)} == {
            t.code for t in territory_search(russian, limit=500)
        }


def test_a_unit_without_official_name_is_marked_derived_and_shows_it(client, make_user):
    village = Territory.objects.get(code="314835100")  # с.Беткайнар, not in the official list
    assert village.name_kk_source == NameSource.DERIVED and village.name_kk
    client.force_login(make_user("viewer", "310000000"))
    body = client.get(reverse("territory-workspace", args=[village.code])).content.decode()
    assert village.name_kk in body and reverse("territory-name-edit", args=[village.code]) not in body


def test_an_administrator_corrects_a_derived_name_and_a_reload_keeps_it(
    client, make_user, zhambyl_units, kk_names
):
    village = Territory.objects.get(code="314835100")
    url = reverse("territory-name-edit", args=[village.code])
    client.force_login(make_user("district_coordinator", "314800000"))
    assert client.get(url).status_code == 404  # no capability
    client.force_login(make_user("regional_coordinator", "310000000"))
    assert url in client.get(reverse("territory-workspace", args=[village.code])).content.decode()
    assert client.post(url, {"name_kk": "  "}).status_code == 200  # an empty name is refused
    response = client.post(url, {"name_kk": "Бетқайнар  ауылы"})
    assert response.status_code == 302
    village.refresh_from_db()
    assert (village.name_kk, village.name_kk_source) == ("Бетқайнар ауылы", NameSource.EDITED)
    entry = AuditEntry.objects.get(action="territory_name_kk_update")
    assert entry.object_id == str(village.pk) and entry.params["code"] == village.code
    assert "Бетқайнар" not in str(entry.params)  # no free text in the audit parameters

    territories_load(units=zhambyl_units, classifier_date=date(2023, 1, 1), source="reload", names=kk_names)
    call_command("derive_territory_names", stdout=StringIO())
    village.refresh_from_db()
    assert (village.name_kk, village.name_kk_source) == ("Бетқайнар ауылы", NameSource.EDITED)
    assert village.code in [t.code for t in territory_search("бетқайнар ауылы")]


def test_an_official_name_replaces_a_derived_one_on_load(db, zhambyl_units):
    from kelisim.territories.services import territories_load as load

    load(units=zhambyl_units, classifier_date=date(2022, 10, 17), source="ru only")
    okrug = Territory.objects.get(code="314854000")
    assert okrug.name_kk_source == NameSource.DERIVED
    load(
        units=zhambyl_units,
        classifier_date=date(2022, 10, 17),
        source="with names",
        names={"314854000": ("Сортөбе ауылдық округі", "")},
    )
    okrug.refresh_from_db()
    assert (okrug.name_kk, okrug.name_kk_source) == ("Сортөбе ауылдық округі", NameSource.OFFICIAL)
