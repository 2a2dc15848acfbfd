"""XLSForm as pyxform reads it, checked by one expression engine, collected by ODK Collect (OpenRosa)
and the web form: uploads, form identity, server-side checks, the form list, manifests, versions."""

import hashlib
import io
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import pyxform
from django.core.exceptions import ValidationError
from django.test import Client
from pyxform.xls2xform import convert

from kelisim.surveys import services
from kelisim.surveys.models import Instrument, InstrumentVersion, Response, ResponseFile
from kelisim.surveys.xlsform import MEDIA, UNSUPPORTED, XLSFormError, convert_xlsform, file_type_of

from .xlsforms import ALL_TYPES_FILES, EXAMPLES, PNG, YN, all_types, q, workbook

KORDAY = "314800000"
PASSWORD = "pass-word-123"

# --- every form pyxform converts is accepted, or refused naming an unsupported type ---------------------------

PYXFORM_EXAMPLES = Path(pyxform.__file__).parent.parent / "tests" / "example_xls"


def _examples() -> dict[str, tuple[bytes, dict[str, bytes] | None]]:
    found: dict[str, tuple[bytes, dict[str, bytes] | None]] = {
        name: (build(), files) for name, (build, files) in EXAMPLES.items()
    }
    if PYXFORM_EXAMPLES.is_dir():  # pyxform's own examples, when the installed pyxform ships them
        for path in sorted(PYXFORM_EXAMPLES.glob("*.xls*")):
            found[f"pyxform:{path.name}"] = (path.read_bytes(), None)
    return found


EXAMPLE_FORMS = _examples()
REFUSED = {
    "geotrace",
    "geoshape",
    "rank",
    "start_geopoint",
    "background_audio",
    "select_one_external",
    "search_appearance",
    "external_app",
    "encrypted",
    "entities",
}


def _stand_in_files(content: bytes) -> dict[str, bytes]:
    """For a form whose attachments we do not have: a small stand-in for every file it names."""
    xform = convert(xlsform=io.BytesIO(content), file_type=file_type_of(content)).xform
    return {
        name: b"name,label\na,A\n"
        if name.endswith(".csv")
        else (b"<root/>" if name.endswith(".xml") else PNG)
        for _kind, name in MEDIA.findall(xform)
    }


@pytest.mark.parametrize("name", sorted(EXAMPLE_FORMS))
def test_every_form_pyxform_converts_is_accepted_or_refused_naming_an_unsupported_type(name: str) -> None:
    content, files = EXAMPLE_FORMS[name]
    try:
        convert(xlsform=io.BytesIO(content), file_type=file_type_of(content))
    except Exception:
        with pytest.raises(XLSFormError):
            convert_xlsform(content, filename=f"{name}.xlsx", files=files or {})
        return
    try:
        converted = convert_xlsform(content, filename=f"{name}.xlsx", files=files or _stand_in_files(content))
    except XLSFormError as error:
        assert any(f"{feature} (" in str(error) for feature in UNSUPPORTED), str(error)
        assert name in REFUSED, f"{name} was refused: {error}"
    else:
        assert name not in REFUSED, f"{name} should have been refused"
        assert converted.form_id and converted.form_version


def test_the_unsupported_list_is_short_and_every_item_is_shown_with_what_is_supported() -> None:
    assert len(UNSUPPORTED) <= 10
    content, files = EXAMPLE_FORMS["geotrace"]
    with pytest.raises(XLSFormError) as refused:
        convert_xlsform(content, filename="g.xlsx", files=files or {})
    message = str(refused.value)
    assert "Row 2: geotrace" in message and "select_one_from_file" in message and "begin_repeat" in message


# --- form identity: .xls and .xlsx, the form id, versions --------------------------------------------------------


def _upload(
    user: Any, content: bytes, filename: str = "form.xlsx", files: dict[str, bytes] | None = None
) -> InstrumentVersion:
    return services.instrument_upload(actor=user, content=content, filename=filename, files=files or {})


@pytest.fixture
def analyst(make_user):  # type: ignore[no-untyped-def]
    return make_user("analyst", "310000000")


def test_xls_and_xlsx_of_one_form_are_one_instrument_and_one_version(analyst) -> None:  # type: ignore[no-untyped-def]
    first = _upload(analyst, all_types(fmt="xlsx"), "all.xlsx", ALL_TYPES_FILES)
    again = _upload(analyst, all_types(fmt="xls"), "all.xls", ALL_TYPES_FILES)
    assert first.is_new and not again.is_new and again.pk == first.pk
    assert Instrument.objects.count() == 1 and InstrumentVersion.objects.count() == 1


def test_the_form_id_comes_from_settings_or_else_from_the_file_name(analyst) -> None:  # type: ignore[no-untyped-def]
    one = _upload(analyst, workbook([q("text", "a", "A")]), "Household survey 2023.xlsx")
    two = _upload(analyst, workbook([q("integer", "b", "B")]), "market.xls")
    named = _upload(analyst, workbook([q("text", "a", "A")], settings={"form_id": "named_form"}), "x.xlsx")
    assert [one.form_id, two.form_id, named.form_id] == ["Household_survey_2023", "market", "named_form"]
    assert Instrument.objects.count() == 3  # unrelated uploads never become versions of one "data"
    assert 'id="Household_survey_2023"' in one.xform


def test_a_form_without_a_version_gets_one_written_into_its_xform(analyst) -> None:  # type: ignore[no-untyped-def]
    first = _upload(analyst, workbook([q("text", "a", "A")]), "f.xlsx")
    same = _upload(analyst, workbook([q("text", "a", "A")]), "f.xlsx")
    changed = _upload(analyst, workbook([q("text", "a", "A"), q("text", "b", "B")]), "f.xlsx")
    assert (first.form_version, same.pk, changed.form_version) == ("1", first.pk, "2")
    assert re.search(r'<data id="f" version="2"', changed.xform)
    assert changed.instrument_id == first.instrument_id and changed.number == 2


def test_a_changed_form_under_an_existing_version_is_refused(analyst) -> None:  # type: ignore[no-untyped-def]
    settings = {"form_id": "stable", "version": "2024.1"}
    _upload(analyst, workbook([q("text", "a", "A")], settings=settings))
    with pytest.raises(ValidationError) as refused:
        _upload(analyst, workbook([q("text", "a", "A changed")], settings=settings))
    assert "2024.1" in str(refused.value) and "version" in str(refused.value)
    assert InstrumentVersion.objects.count() == 1
    newer = _upload(
        analyst, workbook([q("text", "a", "A changed")], settings={**settings, "version": "2024.2"})
    )
    assert newer.number == 2


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([q("integer", "a", "A", constraint=". >")], "Row 2, column “constraint”"),
        ([q("integer", "a", "A"), q("text", "b", "B", relevant="foo(${a})")], "Row 3, column “relevant”"),
        (
            [q("integer", "a", "A"), q("calculate", "c", calculation="${a} = yes")],
            "Row 3",
        ),  # a value without quotes
        ([q("integer", "a", "A"), q("text", "b", "B", required="${a} >")], "Row 3, column “required”"),
        (
            [
                q("integer", "a", "A"),
                q("begin_repeat", "r", "R", repeat_count="${a} +"),
                q("text", "x", "X"),
                q("end_repeat"),
            ],
            "Row 3",
        ),
        ([q("select_one yn", "a", "A", choice_filter="name = ")], "Row 2, column “choice_filter”"),
    ],
)
def test_an_expression_that_cannot_be_run_is_refused_with_its_row(analyst, rows, expected) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        _upload(analyst, workbook(rows, YN, {"form_id": "broken"}))
    assert expected in str(refused.value), str(refused.value)
    assert not InstrumentVersion.objects.exists()


def test_files_the_form_names_must_be_attached(analyst) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        _upload(analyst, all_types(), files={"places.csv": ALL_TYPES_FILES["places.csv"]})
    assert "items.csv" in str(refused.value) and "zh.png" in str(refused.value)
    assert not InstrumentVersion.objects.exists()


# --- the server checks what the form says -------------------------------------------------------------------


@pytest.fixture
def rich(analyst):  # type: ignore[no-untyped-def]
    return _upload(analyst, all_types(), "all_types.xlsx", ALL_TYPES_FILES)


def answers(**changes: Any) -> dict[str, Any]:
    base = {
        "region": "zh",
        "district": "korday",
        "household/name": "Айгүл",
        "household/age": "34",
        "household/visit_date": "2023-05-11",
        "household/inner/name": "Дана",
        "other/name": "Сәуле",
        "n": "2",
        "members[1]/mname": "Ali",
        "members[1]/mage": "40",
        "members[2]/mname": "Dana",
        "members[2]/mage": "12",
        "place": "korday_bazar",
        "things": "book pen",
        "score": "3",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def submit(version: InstrumentVersion, territory: Any, raw: dict[str, Any], **kwargs: Any) -> Response:
    response, _created = services.response_submit(
        actor=None, version=version, raw=raw, territory=territory(KORDAY), source="web", **kwargs
    )
    return response


def refused(version: InstrumentVersion, territory: Any, raw: dict[str, Any]) -> dict[str, list[str]]:
    before = Response.objects.count()
    with pytest.raises(ValidationError) as caught:
        submit(version, territory, raw)
    assert Response.objects.count() == before  # nothing half-saved
    return caught.value.message_dict


def test_a_choice_filter_refuses_a_district_of_another_region(rich, territory) -> None:  # type: ignore[no-untyped-def]
    assert "district" in refused(rich, territory, answers(district="talgar"))
    assert "place" in refused(rich, territory, answers(place="almaty_arena"))  # a CSV list filtered too
    assert submit(rich, territory, answers()).answers["district"] == "korday"


def test_a_hidden_group_hides_its_answers_and_its_required_questions(rich, territory) -> None:  # type: ignore[no-untyped-def]
    # Almaty: the household group is not relevant; its required age is not asked, its answers dropped.
    stored = submit(
        rich,
        territory,
        answers(region="al", district="talgar", place="almaty_arena", **{"household/age": ""}),
    )
    assert not any(key.startswith("household/") for key in stored.answers)
    assert "household/age" in refused(rich, territory, answers(**{"household/age": ""}))


def test_constraints_with_date_max_and_format_date_are_checked(rich, territory) -> None:  # type: ignore[no-untyped-def]
    assert refused(rich, territory, answers(**{"household/age": "120"}))["household/age"] == [
        "14 пен 99 аралығы"
    ]
    assert "household/visit_date" in refused(
        rich, territory, answers(**{"household/visit_date": "2019-12-31"})
    )
    assert "household/visit_date" in refused(
        rich, territory, answers(**{"household/visit_date": "2999-01-01"})
    )
    assert "n" in refused(rich, territory, answers(n="6"))
    assert submit(rich, territory, answers()).answers["household/visit_date"] == "2023-05-11"


def test_calculations_are_computed_and_stored(rich, territory) -> None:  # type: ignore[no-untyped-def]
    stored = submit(rich, territory, answers()).answers
    assert stored["age_next"] == 35 and stored["member_count"] == 2
    assert stored["place_label"] == "Қордай базары"  # pulldata() from the attached CSV
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", stored["household/inner/stamp"])  # once(now())
    assert [m["mpos"] for m in stored["members"]] == [1, 2]


def test_the_same_name_in_two_groups_keeps_both_answers(rich, territory) -> None:  # type: ignore[no-untyped-def]
    stored = submit(rich, territory, answers())
    assert (
        stored.answers["household/name"],
        stored.answers["household/inner/name"],
        stored.answers["other/name"],
    ) == (
        "Айгүл",
        "Дана",
        "Сәуле",
    )
    assert stored.answer("household/name") == "Айгүл" and stored.answer("name") is None  # ambiguous
    assert stored.answer("age_next") == 35 and stored.answer("age") == 34  # unique: found by name


def test_repeats_are_stored_per_instance_and_their_count_is_what_the_form_says(rich, territory) -> None:  # type: ignore[no-untyped-def]
    stored = submit(rich, territory, answers()).answers
    assert stored["members"] == [
        {"mname": "Ali", "mage": 40, "mpos": 1},
        {"mname": "Dana", "mage": 12, "mpos": 2},
    ]
    assert "members" in refused(rich, territory, answers(n="3"))


def test_metadata_is_filled_for_a_web_response(rich, territory) -> None:  # type: ignore[no-untyped-def]
    stored = submit(rich, territory, answers()).answers
    assert stored["deviceid"] == "kelisim:web" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", stored["today"])
    assert stored["start"] <= stored["end"] and "phonenumber" not in stored and "username" not in stored


def test_an_answer_to_a_question_the_form_does_not_have_is_refused(rich, territory, make_user) -> None:  # type: ignore[no-untyped-def]
    from kelisim.surveys.xpath import Node

    root = Node("all_types")
    for name, value in (("region", "zh"), ("district", "korday"), ("bogus", "1")):
        Node(name, value, root)
    with pytest.raises(ValidationError) as caught:
        services.response_submit(
            actor=None,
            version=rich,
            instance=root,
            territory=territory(KORDAY),
            source="odk",
            instance_id="uuid:x",
        )
    assert any("bogus" in key for key in caught.value.message_dict)


# --- OpenRosa -------------------------------------------------------------------------------------------------


def _md5(content: bytes) -> str:
    return hashlib.md5(content, usedforsecurity=False).hexdigest()


def _basic(user: Any) -> dict[str, str]:
    """HTTP Basic with the user's collection credential, as ODK Collect signs in (made once per user)."""
    import base64

    from kelisim.accounts.services import collection_credential_create

    if not hasattr(user, "_odk_secret"):
        user._odk_secret = collection_credential_create(user=user, name="phone")[1]
    return {
        "HTTP_AUTHORIZATION": "Basic "
        + base64.b64encode(f"{user.username}:{user._odk_secret}".encode()).decode()
    }


def _post(client: Client, user: Any, xml: str, files: dict[str, bytes] | None = None):  # type: ignore[no-untyped-def]
    parts: dict[str, Any] = {}
    upload = io.BytesIO(xml.encode())
    upload.name = "submission.xml"
    parts["xml_submission_file"] = upload
    for name, content in (files or {}).items():
        part = io.BytesIO(content)
        part.name = name
        parts[name] = part
    return client.post("/openrosa/submission", parts, **_basic(user))


def _instance(form_id: str, version: str | None, body: str, instance_id: str = "") -> str:
    attribute = f' version="{version}"' if version is not None else ""
    return (
        f'<data id="{form_id}"{attribute}>{body}'
        f"<meta><instanceID>{instance_id or f'uuid:{uuid.uuid4()}'}</instanceID></meta></data>"
    )


def test_the_form_list_honours_formid_and_gives_the_manifest_of_a_form_with_files(rich, make_user) -> None:  # type: ignore[no-untyped-def]
    services.instruments_install_ready()
    collector = make_user("specialist", KORDAY)
    client = Client()
    everything = client.get("/openrosa/formList", **_basic(collector)).content.decode()
    assert everything.count("<xform>") == 4  # all_types and the three ready ones (appeal_satisfaction too)
    only = client.get("/openrosa/formList", {"formID": "all_types"}, **_basic(collector)).content.decode()
    assert re.findall(r"<formID>([^<]+)</formID>", only) == ["all_types"]
    assert "<version>1</version>" in only
    manifest_url = re.search(r"<manifestUrl>([^<]+)</manifestUrl>", only).group(1)  # type: ignore[union-attr]
    plain = client.get(
        "/openrosa/formList", {"formID": "tolerance_index"}, **_basic(collector)
    ).content.decode()
    assert "manifestUrl" not in plain
    manifest = client.get(manifest_url, **_basic(collector))
    assert manifest["X-OpenRosa-Version"] == "1.0"
    entries = re.findall(
        r"<filename>([^<]+)</filename><hash>md5:([0-9a-f]{32})</hash><downloadUrl>([^<]+)</downloadUrl>",
        manifest.content.decode(),
    )
    assert sorted(name for name, _h, _u in entries) == sorted(ALL_TYPES_FILES)
    for name, digest, url in entries:
        body = client.get(url, **_basic(collector)).content
        assert _md5(body) == digest == _md5(ALL_TYPES_FILES[name])
    assert client.get(manifest_url).status_code == 401


def test_the_listed_version_is_the_one_in_the_form(analyst, make_user) -> None:  # type: ignore[no-untyped-def]
    version = _upload(analyst, workbook([q("text", "a", "A")]), "plain.xlsx")
    collector = make_user("specialist", KORDAY)
    client = Client()
    listing = client.get("/openrosa/formList", {"formID": "plain"}, **_basic(collector)).content.decode()
    listed = re.search(r"<version>([^<]*)</version>", listing).group(1)  # type: ignore[union-attr]
    form = client.get("/openrosa/forms/plain.xml", **_basic(collector)).content.decode()
    assert re.search(rf'<data id="plain" version="{listed}"', form) and listed == version.form_version == "1"


def test_a_submission_is_filed_under_its_own_version_and_an_unknown_version_is_refused(
    analyst, make_user
) -> None:  # type: ignore[no-untyped-def]
    settings = {"form_id": "visits"}
    old = _upload(analyst, workbook([q("integer", "a", "A")], settings={**settings, "version": "1"}))
    new = _upload(
        analyst,
        workbook([q("integer", "a", "A", constraint=". < 10")], settings={**settings, "version": "2"}),
    )
    collector = make_user("specialist", KORDAY)
    client = Client()
    late = _post(client, collector, _instance("visits", "1", "<a>50</a>"))  # collected offline on version 1
    assert late.status_code == 201, late.content
    assert Response.objects.get().version == old
    assert (
        _post(client, collector, _instance("visits", "2", "<a>50</a>")).status_code == 400
    )  # version 2's rule
    unknown = _post(client, collector, _instance("visits", "7", "<a>5</a>"))
    assert unknown.status_code == 400 and "7" in unknown.content.decode()
    assert Response.objects.count() == 1
    assert _post(client, collector, _instance("visits", "2", "<a>5</a>")).status_code == 201
    assert Response.objects.filter(version=new).count() == 1


def test_a_device_leaves_out_a_hidden_group_and_its_required_question(make_user, analyst) -> None:  # type: ignore[no-untyped-def]
    _upload(analyst, EXAMPLES["group_relevance"][0](), "group_relevance.xlsx")
    collector = make_user("specialist", KORDAY)
    # ODK Collect sends no node of a group that is not relevant.
    response = _post(Client(), collector, _instance("group_relevance", "1", "<go>no</go>"))
    assert response.status_code == 201, response.content
    stored = _post(
        Client(), collector, _instance("group_relevance", "1", "<go>no</go><g><x>typed before</x></g>")
    )
    assert stored.status_code == 201
    assert all("g/x" not in r.answers for r in Response.objects.all())  # not relevant: not kept
    assert (
        _post(Client(), collector, _instance("group_relevance", "1", "<go>yes</go><g><x/></g>")).status_code
        == 400
    )


def test_a_device_photo_is_stored_with_its_response(make_user, analyst) -> None:  # type: ignore[no-untyped-def]
    _upload(analyst, EXAMPLES["media_uploads"][0](), "media_uploads.xlsx")
    collector = make_user("specialist", KORDAY)
    client = Client()
    missing = _post(client, collector, _instance("media_uploads", "1", "<i>1700.jpg</i><a/><v/><f/>"))
    assert missing.status_code == 400 and "1700.jpg" in missing.content.decode()
    sent = _post(
        client, collector, _instance("media_uploads", "1", "<i>1700.jpg</i><a/><v/><f/>"), {"1700.jpg": PNG}
    )
    assert sent.status_code == 201, sent.content
    photo = ResponseFile.objects.get()
    assert (photo.key, photo.name, bytes(photo.content)) == ("i", "1700.jpg", PNG)
    assert Response.objects.get().answers["i"] == "1700.jpg"


# --- the web form -----------------------------------------------------------------------------------------------


@pytest.fixture
def link(rich, analyst, territory):  # type: ignore[no-untyped-def]
    return services.collection_link_create(
        actor=analyst, instrument=rich.instrument, territory=territory(KORDAY)
    )


def test_the_web_form_shows_hints_groups_defaults_appearances_and_media(link) -> None:  # type: ignore[no-untyped-def]
    page = Client().get(f"/s/{link.token}/").content.decode()
    assert "Тұратын облысыңыз" in page  # hint
    assert "<legend>Отбасы</legend>" in page and "<legend>Ішкі топ</legend>" in page  # group labels
    assert 'name="hours" value="1.5"' in page and 'name="n" value="1"' in page  # defaults
    assert re.search(r'<select id="i-district" name="district"', page)  # appearance minimal
    assert re.search(r'<textarea id="i-comment"', page)  # appearance multiline
    assert f"/s/{link.token}/media/zh.png" in page and f"/s/{link.token}/media/photo_hint.png" in page
    assert 'type="file" name="household/photo" accept="image/*"' in page
    assert 'data-repeat="members"' in page and "members[1]/mname" in page
    assert Client().get(f"/s/{link.token}/media/zh.png").content == PNG
    assert "survey-form.js" in page


def test_the_web_form_state_follows_the_answers_as_they_are_typed(link) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    state = client.post(f"/s/{link.token}/", {"_live": "1", "region": "al", "n": "3"}).json()
    assert state["relevant"]["household"] is False  # the group hides with everything in it
    assert state["relevant"]["household/age"] is False
    assert [c[0] for c in state["choices"]["district"]] == ["talgar"]
    assert state["counts"]["members"] == 3
    state = client.post(
        f"/s/{link.token}/", {"_live": "1", "region": "zh", "household/age": "7", "household/name": "Ерлан"}
    ).json()
    assert state["relevant"]["household"] is True and [c[0] for c in state["choices"]["district"]] == [
        "korday",
        "shu",
    ]
    assert state["errors"]["household/age"] == "14 пен 99 аралығы"
    assert (
        "household/name" not in state["errors"] and "region" not in state["errors"]
    )  # required: only when sent
    assert state["labels"]["household/hello"] == "Жасыңыз 7"
    assert not Response.objects.exists()


def test_the_web_form_refuses_with_the_forms_own_messages_and_stores_a_photo(link) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    page = client.post(f"/s/{link.token}/", {"district": "korday"})
    assert page.status_code == 400 and "Облысты таңдаңыз" in page.content.decode()  # required_message
    photo = io.BytesIO(PNG)
    photo.name = "me.png"
    fields = {**answers(), "household/photo": photo}
    done = client.post(f"/s/{link.token}/", fields)
    assert done.status_code == 200 and Response.objects.count() == 1, done.content.decode()[:2000]
    stored = ResponseFile.objects.get()
    assert stored.key == "household/photo" and bytes(stored.content) == PNG and stored.name.endswith("me.png")


def test_without_the_script_a_repeat_grows_with_the_add_button(analyst, territory) -> None:  # type: ignore[no-untyped-def]
    version = _upload(analyst, EXAMPLES["repeat"][0](), "repeat.xlsx")
    link = services.collection_link_create(
        actor=analyst, instrument=version.instrument, territory=territory(KORDAY)
    )
    page = Client().post(f"/s/{link.token}/", {"r[1]/x": "a", "_add": "r"}).content.decode()
    assert 'name="r[2]/x"' in page and 'name="r[1]/x" value="a"' in page and not Response.objects.exists()
