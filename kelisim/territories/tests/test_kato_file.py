from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kelisim.territories import kato
from kelisim.territories.models import ClassifierVersion, Level, Territory

HEADER = "id;parent_id;code;name\n"


def test_parse_finds_levels_and_parents_from_the_2022_file(zhambyl_units):
    by_code = {u.code: u for u in zhambyl_units}
    assert by_code["310000000"].level == Level.REGION
    assert by_code["314800000"].level == Level.DISTRICT and by_code["314800000"].parent_code == "310000000"
    assert by_code["314854000"].level == Level.OKRUG and by_code["314854000"].parent_code == "314800000"
    assert by_code["314854100"].level == Level.SETTLEMENT and by_code["314854100"].parent_code == "314854000"


def test_parse_without_parent_ids_derives_parents_from_codes():
    text = "code,name_ru,name_kk\n310000000,Жамбылская область,Жамбыл облысы\n314800000,Кордайский район,\n314854100,с.Сортобе,\n"
    units = {u.code: u for u in kato.parse(text)}
    assert units["314800000"].parent_code == "310000000"
    # No okrug in the file: the village hangs on the district, the nearest unit that exists.
    assert units["314854100"].parent_code == "314800000"
    assert units["310000000"].name_kk == "Жамбыл облысы"


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("1;0;310000000;Жамбылская\n2;1;31480000;Кордай\n", 3, "31480000"),
        ("1;0;310000000;Жамбылская\n2;1;314800000;\n", 3, "314800000"),
        ("1;0;310000000;Жамбылская\n2;1;310000000;Снова\n", 3, "310000000"),
        ("1;0;310000000;Жамбылская\n2;7;314800000;Кордай\n", 3, "7"),
        ("1;0;314800000;Кордай без области\n", 2, "314800000"),
    ],
    ids=["short-code", "no-name", "duplicate", "unknown-parent", "orphan"],
)
def test_parse_names_the_bad_line(body, line, words):
    with pytest.raises(kato.KatoFileError) as caught:
        kato.parse(HEADER + body)
    assert caught.value.line == line
    assert words in caught.value.message


def test_parse_refuses_a_file_without_header_columns():
    with pytest.raises(kato.KatoFileError) as caught:
        kato.parse("a;b;c\n1;2;3\n")
    assert caught.value.line == 1


def test_load_is_idempotent_and_retires_vanished_units(zhambyl, zhambyl_units, kk_names):
    from kelisim.territories.services import territories_load

    before = Territory.objects.count()
    again = territories_load(
        units=zhambyl_units, classifier_date=date(2022, 10, 17), source="again", names=kk_names
    )
    assert (again.created, again.updated, again.retired) == (0, 0, 0)
    assert Territory.objects.count() == before

    without_sortobe_village = [u for u in zhambyl_units if u.code != "314854100"]
    newer = territories_load(units=without_sortobe_village, classifier_date=date(2024, 1, 1), source="newer")
    village = Territory.objects.get(code="314854100")
    assert newer.retired == 1 and not village.is_active and village.retired_on == date(2024, 1, 1)
    assert Territory.objects.count() == before  # retired, never deleted
    # A file without Kazakh names keeps the ones an earlier load gave.
    assert Territory.objects.get(code="314854000").name_kk == "Сортөбе ауылдық округі"


@pytest.mark.django_db
def test_command_loads_the_whole_classifier_twice_with_the_same_count():
    out = StringIO()
    call_command("load_territories", stdout=out, verbosity=0)
    first = Territory.objects.count()
    call_command("load_territories", stdout=out, verbosity=0)
    assert first == Territory.objects.count() >= 16_000
    assert Territory.objects.filter(parent__code="314800000", level=Level.OKRUG).count() == 19
    assert Territory.objects.get(code="314800000").name_kk == "Қордай ауданы"
    assert ClassifierVersion.objects.filter(classifier_date=date(2022, 10, 17)).count() == 2
    assert "0 added" in out.getvalue().splitlines()[-1]


@pytest.mark.django_db
def test_command_with_malformed_file_names_the_line_and_changes_nothing(tmp_path: Path, zhambyl):
    before = list(Territory.objects.order_by("code").values_list("code", "name_ru", "is_active"))
    bad = tmp_path / "kato_2025-01-01.csv"
    bad.write_text(
        HEADER + "1;0;310000000;Жамбылская область\n2;1;3148000X0;Кордайский район\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="Line 3"):
        call_command("load_territories", str(bad), verbosity=0)
    assert list(Territory.objects.order_by("code").values_list("code", "name_ru", "is_active")) == before


@pytest.mark.django_db
def test_command_refuses_binary_input_naming_the_line(tmp_path: Path):
    bad = tmp_path / "kato_2025-01-01.csv"
    bad.write_bytes(HEADER.encode() + b"1;0;310000000;\xff\xfe\n")
    with pytest.raises(CommandError, match="line 2"):
        call_command("load_territories", str(bad), verbosity=0)
    assert Territory.objects.count() == 0


@pytest.mark.django_db
def test_command_needs_a_date_when_the_file_name_has_none(tmp_path: Path):
    bad = tmp_path / "kato.csv"
    bad.write_text(HEADER + "1;0;310000000;Жамбылская область\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--date"):
        call_command("load_territories", str(bad), verbosity=0)
    call_command("load_territories", str(bad), "--date", "2025-01-01", verbosity=0)
    assert Territory.objects.get(code="310000000").classifier_date == date(2025, 1, 1)
