"""XLSForms written for the project's tests (never downloaded): one that uses every type and column
the server supports, and a set of small forms in the manner of pyxform's own examples, each about
one type, column or sheet, the unsupported ones included."""

import base64
import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook

Rows = list[dict[str, Any]]

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def workbook(
    survey: Rows,
    choices: Rows | None = None,
    settings: dict[str, Any] | None = None,
    *,
    fmt: str = "xlsx",
    extra: dict[str, Rows] | None = None,
) -> bytes:
    sheets: dict[str, Rows] = {"survey": survey}
    if choices:
        sheets["choices"] = choices
    if settings:
        sheets["settings"] = [settings]
    sheets.update(extra or {})
    tables = {name: _table(rows) for name, rows in sheets.items()}
    if fmt == "xls":
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        for name, table in tables.items():
            sheet = book.add_sheet(name)
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    if value not in (None, ""):
                        sheet.write(r, c, value)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    xlsx = Workbook()
    first = True
    for name, table in tables.items():
        sheet = xlsx.active if first else xlsx.create_sheet(name)
        sheet.title = name
        first = False
        for row in table:
            sheet.append(row)
    buffer = io.BytesIO()
    xlsx.save(buffer)
    return buffer.getvalue()


def _table(rows: Rows) -> list[list[Any]]:
    header: list[str] = []
    for row in rows:
        for key in row:
            if key not in header:
                header.append(key)
    return [header, *[[row.get(key, "") for key in header] for row in rows]]


def q(kind: str, name: str = "", label: str = "", **columns: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"type": kind}
    if name:
        row["name"] = name
    if label:
        row["label"] = label
    row.update({k.replace("__", "::"): v for k, v in columns.items()})
    return row


PLACES_CSV = "name,label,region\nkorday_bazar,Қордай базары,zh\ntaraz_park,Тараз саябағы,zh\nalmaty_arena,Алматы аренасы,al\n".encode()
ITEMS_CSV = b"name,label\nbook,Book\nball,Ball\npen,Pen\n"

ALL_TYPES_SURVEY: Rows = [
    q("start", "start"),
    q("end", "end"),
    q("today", "today"),
    q("deviceid", "deviceid"),
    q("username", "username"),
    q("phonenumber", "phonenumber"),
    q("audit", "audit"),
    q(
        "select_one region",
        "region",
        "Облыс",
        hint="Тұратын облысыңыз",
        required="yes",
        required_message="Облысты таңдаңыз",
    ),
    q("select_one district", "district", "Аудан", choice_filter="region=${region}", appearance="minimal"),
    q("begin_group", "household", "Отбасы", relevant="${region} = 'zh'", appearance="field-list"),
    q("text", "name", "Аты", hint="Тек атыңыз"),
    q(
        "integer",
        "age",
        "Жасы",
        required="yes",
        constraint=". >= 14 and . <= max(99, 18)",
        constraint_message="14 пен 99 аралығы",
    ),
    q(
        "date",
        "visit_date",
        "Күні",
        constraint=". <= today() and format-date(., '%Y') >= '2020' and date(.) >= date('2020-01-01')",
        constraint_message="2020 жылдан бүгінге дейін",
    ),
    q("time", "visit_time", "Уақыты"),
    q("dateTime", "moment", "Сәті"),
    q("geopoint", "where", "Орны"),
    q("image", "photo", "Сурет", media__image="photo_hint.png"),
    q("acknowledge", "ack", "Келісемін"),
    q("hidden", "tag", default="kk-2023"),
    q("note", "hello", "Жасыңыз ${age}"),
    q("begin_group", "inner", "Ішкі топ"),
    q("text", "name", "Екінші аты"),
    q("calculate", "stamp", calculation="once(now())"),
    q("end_group"),
    q("end_group"),
    q("begin_group", "other", "Басқа топ"),
    q("text", "name", "Тағы бір аты"),
    q("end_group"),
    q("integer", "n", "Неше адам?", constraint=". <= 5", default="1"),
    q("begin_repeat", "members", "Мүшелер", repeat_count="${n}"),
    q("text", "mname", "Мүшенің аты"),
    q("integer", "mage", "Мүшенің жасы", relevant="${mname} != ''"),
    q("calculate", "mpos", calculation="position(..)"),
    q("end_repeat"),
    q("calculate", "member_count", calculation="count(${mname})"),
    q("select_one_from_file places.csv", "place", "Орын", choice_filter="region=${region}"),
    q("select_multiple_from_file items.csv", "things", "Заттар"),
    q("range", "score", "Баға", parameters="start=1;end=5;step=1"),
    q("decimal", "hours", "Сағат", default="1.5"),
    q("text", "comment", "Пікір", appearance="multiline"),
    q("calculate", "place_label", calculation="pulldata('places', 'label', 'name', ${place})"),
    q("calculate", "age_next", calculation="${age} + 1"),
]
ALL_TYPES_CHOICES: Rows = [
    {"list_name": "region", "name": "zh", "label": "Жамбыл", "media::image": "zh.png"},
    {"list_name": "region", "name": "al", "label": "Алматы"},
    {"list_name": "district", "name": "korday", "label": "Қордай", "region": "zh"},
    {"list_name": "district", "name": "shu", "label": "Шу", "region": "zh"},
    {"list_name": "district", "name": "talgar", "label": "Талғар", "region": "al"},
]
ALL_TYPES_FILES = {"places.csv": PLACES_CSV, "items.csv": ITEMS_CSV, "zh.png": PNG, "photo_hint.png": PNG}


def all_types(*, fmt: str = "xlsx", version: str | None = "1", form_id: str | None = "all_types") -> bytes:
    settings: dict[str, Any] = {"form_title": "Барлық түрлер"}
    if form_id:
        settings["form_id"] = form_id
    if version:
        settings["version"] = version
    return workbook(ALL_TYPES_SURVEY, ALL_TYPES_CHOICES, settings, fmt=fmt)


YN: Rows = [
    {"list_name": "yn", "name": "yes", "label": "Yes"},
    {"list_name": "yn", "name": "no", "label": "No"},
]


def _one(
    *rows: dict[str, Any],
    choices: Rows | None = None,
    settings: dict[str, Any] | None = None,
    fmt: str = "xlsx",
    extra: dict[str, Rows] | None = None,
) -> Callable[[], bytes]:
    return lambda: workbook(list(rows), choices, settings, fmt=fmt, extra=extra)


# name -> (workbook builder, attachments). Like pyxform's tests/example_xls: one feature each.
EXAMPLES: dict[str, tuple[Callable[[], bytes], dict[str, bytes]]] = {
    "text_and_integer": (_one(q("text", "a", "A"), q("integer", "b", "B")), {}),
    "decimal_default": (_one(q("decimal", "d", "D", default="2.5")), {}),
    "date_time_datetime": (_one(q("date", "d", "D"), q("time", "t", "T"), q("dateTime", "dt", "DT")), {}),
    "select_one_and_multiple": (
        _one(q("select_one yn", "a", "A"), q("select_multiple yn", "b", "B"), choices=YN),
        {},
    ),
    "select_or_other": (_one(q("select_one yn or_other", "a", "A"), choices=YN), {}),
    "cascading_choice_filter": (
        _one(
            q("select_one region", "r", "R"),
            q("select_one district", "d", "D", choice_filter="region=${r}"),
            choices=ALL_TYPES_CHOICES,
        ),
        {"zh.png": PNG},
    ),
    "relevant_required_constraint": (
        _one(
            q("select_one yn", "consent", "C", required="yes"),
            q("integer", "age", "Age", relevant="${consent} = 'yes'", required="yes", constraint=". > 0"),
            choices=YN,
        ),
        {},
    ),
    "required_and_constraint_messages": (
        _one(
            q(
                "integer",
                "n",
                "N",
                required="yes",
                required_message="Say it",
                constraint=". < 10",
                constraint_message="Too big",
            )
        ),
        {},
    ),
    "group_relevance": (
        _one(
            q("select_one yn", "go", "Go"),
            q("begin_group", "g", "G", relevant="${go} = 'yes'"),
            q("text", "x", "X", required="yes"),
            q("end_group"),
            choices=YN,
        ),
        {},
    ),
    "nested_groups": (
        _one(
            q("begin_group", "a", "A"),
            q("begin_group", "b", "B"),
            q("text", "c", "C"),
            q("end_group"),
            q("end_group"),
        ),
        {},
    ),
    "same_name_in_two_groups": (
        _one(
            q("begin_group", "a", "A"),
            q("text", "x", "X"),
            q("end_group"),
            q("begin_group", "b", "B"),
            q("text", "x", "X"),
            q("end_group"),
        ),
        {},
    ),
    "repeat": (_one(q("begin_repeat", "r", "R"), q("text", "x", "X"), q("end_repeat")), {}),
    "repeat_count": (
        _one(
            q("integer", "n", "N"),
            q("begin_repeat", "r", "R", repeat_count="${n}"),
            q("text", "x", "X"),
            q("end_repeat"),
        ),
        {},
    ),
    "nested_repeats": (
        _one(
            q("begin_repeat", "h", "H"),
            q("text", "name", "Name"),
            q("begin_repeat", "c", "C"),
            q("integer", "age", "Age"),
            q("end_repeat"),
            q("end_repeat"),
        ),
        {},
    ),
    "calculations": (
        _one(
            q("integer", "a", "A"),
            q("calculate", "b", calculation="${a} * 2"),
            q("calculate", "c", calculation="once(random())"),
            q("calculate", "d", calculation="format-date(today(), '%Y-%m')"),
            q("note", "show", "B is ${b}"),
        ),
        {},
    ),
    "kobo_metadata": (
        _one(
            q("start", "start"),
            q("end", "end"),
            q("today", "today"),
            q("deviceid", "deviceid"),
            q("username", "username"),
            q("phonenumber", "phonenumber"),
            q("simserial", "simserial"),
            q("subscriberid", "subscriberid"),
            q("email", "email"),
            q("audit", "audit"),
            q("text", "a", "A"),
        ),
        {},
    ),
    "geopoint": (_one(q("geopoint", "p", "Where")), {}),
    "media_uploads": (
        _one(q("image", "i", "I"), q("audio", "a", "A"), q("video", "v", "V"), q("file", "f", "F")),
        {},
    ),
    "acknowledge_hidden_note": (_one(q("acknowledge", "a", "A"), q("hidden", "h"), q("note", "n", "N")), {}),
    "barcode": (_one(q("barcode", "b", "B")), {}),
    "range": (_one(q("range", "r", "R", parameters="start=0;end=10;step=2")), {}),
    "appearances": (
        _one(
            q("text", "t", "T", appearance="multiline"),
            q("select_one yn", "s", "S", appearance="minimal"),
            q("select_one yn", "l", "L", appearance="likert"),
            q("date", "m", "M", appearance="month-year"),
            choices=YN,
        ),
        {},
    ),
    "question_and_choice_media": (
        _one(
            q("select_one yn", "a", "A", media__image="q.png", media__audio="q.mp3"),
            choices=[{"list_name": "yn", "name": "yes", "label": "Yes", "media::image": "yes.png"}, *YN[1:]],
        ),
        {"q.png": PNG, "q.mp3": b"ID3", "yes.png": PNG},
    ),
    "select_from_csv_and_xml": (
        _one(
            q("select_one_from_file places.csv", "p", "P"), q("select_multiple_from_file items.xml", "i", "I")
        ),
        {"places.csv": PLACES_CSV, "items.xml": b"<root><item><name>a</name><label>A</label></item></root>"},
    ),
    "translations": (
        _one(
            {
                "type": "select_one yn",
                "name": "a",
                "label::Kazakh (kk)": "Иә ма?",
                "label::Russian (ru)": "Да?",
            },
            choices=[
                {"list_name": "yn", "name": "yes", "label::Kazakh (kk)": "Иә", "label::Russian (ru)": "Да"},
                {"list_name": "yn", "name": "no", "label::Kazakh (kk)": "Жоқ", "label::Russian (ru)": "Нет"},
            ],
            settings={"default_language": "Kazakh (kk)"},
        ),
        {},
    ),
    "functions": (
        _one(
            q("integer", "a", "A"),
            q(
                "calculate",
                "b",
                calculation="concat(string(round(pow(${a}, 2), 1)), '-', substr('abc', 1), '-', "
                "if(selected('x y', 'y'), 'y', 'n'), '-', coalesce('', 'z'), '-', normalize-space(' q '))",
            ),
            q("calculate", "c", calculation="decimal-date-time(now()) - decimal-date-time(today())"),
            q("integer", "d", "D", constraint="checklist(-1, 1, . > 5, . > 10)"),
        ),
        {},
    ),
    "xls_workbook": (_one(q("text", "a", "A"), q("integer", "b", "B"), fmt="xls"), {}),
    "no_settings_sheet": (_one(q("text", "a", "A")), {}),
    # Refused, naming what is unsupported:
    "geotrace": (_one(q("geotrace", "line", "Line")), {}),
    "geoshape": (_one(q("geoshape", "shape", "Shape")), {}),
    "rank": (_one(q("rank yn", "r", "Rank"), choices=YN), {}),
    "start_geopoint": (_one(q("start-geopoint", "where"), q("text", "a", "A")), {}),
    "background_audio": (_one(q("background-audio", "sound"), q("text", "a", "A")), {}),
    "select_one_external": (
        _one(
            q("select_one yn", "a", "A"),
            q("select_one_external ext", "e", "E", choice_filter="yn=${a}"),
            choices=YN,
            extra={"external_choices": [{"list_name": "ext", "name": "x", "label": "X", "yn": "yes"}]},
        ),
        {},
    ),
    "search_appearance": (
        _one(
            q("select_one places", "p", "P", appearance="search('places')"),
            choices=[{"list_name": "places", "name": "name", "label": "label"}],
        ),
        {"places.csv": PLACES_CSV},
    ),
    "external_app": (_one(q("text", "t", "T", appearance="ex:org.example.app")), {}),
    "encrypted": (
        _one(q("text", "a", "A"), settings={"public_key": base64.b64encode(b"k" * 32).decode()}),
        {},
    ),
    "entities": (
        _one(q("text", "a", "A"), extra={"entities": [{"dataset": "people", "label": "${a}"}]}),
        {},
    ),
}
