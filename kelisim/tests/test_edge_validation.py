"""Input is judged where it enters: one check per kind of input, each answering a translated 400
that names the field, and nothing half-saved. Before, these were server errors (some only on
PostgreSQL) or, worse, stored."""

import base64
import io
import uuid
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from kelisim.accounts.models import ApiToken
from kelisim.appeals.models import Appeal, Category, Open311Key
from kelisim.appeals.services import key_hash
from kelisim.core.models import Job
from kelisim.imports.models import ImportBatch
from kelisim.reports.models import PressRelease
from kelisim.surveys import services as survey_services
from kelisim.surveys.models import Response

KORDAY, ZHAMBYL = "314800000", "310000000"


def _page(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _kazakh(response) -> str:  # type: ignore[no-untyped-def]
    """The page as the user reads it (Kazakh, the default language)."""
    return response.content.decode()


# XML: depth and document type declarations -----------------------------------------------------


def _basic(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """HTTP Basic with a collection credential: the only thing OpenRosa accepts."""
    from kelisim.accounts.services import collection_credential_create

    _credential, secret = collection_credential_create(user=user, name="phone")
    token = base64.b64encode(f"{user.username}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def _submit(user, payload: bytes):  # type: ignore[no-untyped-def]
    upload = io.BytesIO(payload)
    upload.name = "submission.xml"
    return Client().post("/openrosa/submission", {"xml_submission_file": upload}, **_basic(user))


def test_an_openrosa_submission_nested_1500_deep_is_a_400_naming_the_file(make_user):
    survey_services.instruments_install_ready()
    collector = make_user("specialist", KORDAY)
    deep = "<g>" * 1500 + "x" + "</g>" * 1500
    payload = (
        f'<?xml version="1.0"?><data id="tolerance_index" version="2023.1">{deep}'
        f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
    ).encode()
    response = _submit(collector, payload)
    assert response.status_code == 400
    assert "xml_submission_file" in response.content.decode()
    assert not Response.objects.exists()


def test_an_openrosa_submission_with_a_document_type_declaration_is_a_400(make_user):
    survey_services.instruments_install_ready()
    collector = make_user("specialist", KORDAY)
    payload = (
        '<?xml version="1.0"?><!DOCTYPE data [<!ELEMENT data ANY>]><data id="tolerance_index" '
        f'version="2023.1"><meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>'
    ).encode()
    response = _submit(collector, payload)
    assert response.status_code == 400 and "xml_submission_file" in response.content.decode()
    assert not Response.objects.exists()


def _docx(document: str) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("word/document.xml", document)
    buffer.seek(0)
    buffer.name = "release.docx"
    return buffer


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY = (
    f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>10 мамыр күні Қордай ауданында кездесу өтті. '
    "Жиынға аудан әкімі қатысты.{extra}</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    "document",
    [
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x "жарылыс">]>' + BODY.format(extra="&x;"),
        '<?xml version="1.0"?><!DOCTYPE w:document SYSTEM "http://example.org/x.dtd">'
        + BODY.format(extra=""),
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ELEMENT w:document ANY>]>' + BODY.format(extra=""),
    ],
    ids=["internal-entity", "external-dtd", "bare-dtd"],
)
def test_a_press_release_docx_with_a_document_type_declaration_is_refused_naming_the_file(
    make_user, document
):
    officer = make_user("regional_coordinator", ZHAMBYL)
    response = _page(officer).post(
        "/imports/", {"file": _docx(document), "pub_date": "2023-05-15", "language": "kk"}
    )
    assert response.status_code == 400
    errors = _kazakh(response).split('id="id_file_error"')[1].split("</div>")[0]
    assert "DTD" in errors  # the error sits under the file field and says what is wrong
    assert not ImportBatch.objects.exists()


def test_a_plain_docx_still_imports(make_user, django_capture_on_commit_callbacks):
    officer = make_user("regional_coordinator", ZHAMBYL)
    with django_capture_on_commit_callbacks(execute=True):  # the job runs once the upload is saved
        response = _page(officer).post(
            "/imports/",
            {"file": _docx('<?xml version="1.0"?>' + BODY.format(extra="")), "pub_date": "2023-05-15"},
        )
    assert response.status_code == 302 and ImportBatch.objects.count() == 1, list(
        Job.objects.values_list("messages", flat=True)
    )


# Text: NUL and other control characters, in every kind of body ----------------------------------


@pytest.fixture
def open311_key(korday_department, territory) -> str:
    Open311Key.objects.create(
        name="mobile",
        key_hash=key_hash("s3cret-key"),
        territory=territory(KORDAY),
        department=korday_department,
    )
    return "s3cret-key"


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x1b"])
def test_a_press_release_text_with_a_control_character_is_a_400_naming_text(seed_visit, make_user, bad):
    regional = make_user("regional_coordinator", ZHAMBYL)
    response = _page(regional).post(
        f"/visits/{seed_visit.pk}/press-release/save/", {"lang": "kk", "text": f"Мәтін{bad}мәтін"}
    )
    assert response.status_code == 400 and "text" in response.content.decode()
    assert not PressRelease.objects.exists()


def test_a_token_name_with_a_nul_is_a_400_naming_name(make_user):
    user = make_user("regional_coordinator", ZHAMBYL)
    response = _page(user).post("/accounts/tokens/", {"name": "телефон\x00"})
    assert response.status_code == 400 and "name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_open311_description_with_a_nul_is_an_open311_400_naming_description(client, open311_key):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": open311_key,
            "service_code": "land",
            "description": "Жер\x00учаскесі",
            "first_name": "Ерлан",
        },
    )
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400 and "description" in response.json()[0]["description"]
    assert not Appeal.objects.filter(channel="open311").exists()
    assert Category.objects.filter(code="land").exists()


def test_a_multipart_field_with_a_nul_is_a_400_too(make_user):
    officer = make_user("regional_coordinator", ZHAMBYL)
    upload = io.BytesIO("10 мамыр күні кездесу өтті.".encode())
    upload.name = "a.txt"
    response = _page(officer).post("/imports/", {"file": upload, "text": "a\x00b", "pub_date": "2023-05-15"})
    assert response.status_code == 400 and "text" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_json_body_with_a_control_character_is_a_400_naming_the_field(
    seed_visit, make_user, korday_department
):
    client = APIClient()
    client.force_authenticate(make_user("regional_coordinator", ZHAMBYL))
    count = Appeal.objects.count()
    response = client.post(
        "/api/v1/appeals/",
        {
            "type": "statement",
            "channel": "written",
            "territory": KORDAY,
            "department": korday_department.pk,
            "received_on": "2023-05-10",
            "applicant_kind": "person",
            "applicant_name": "Демо",
            "text": "Мәтін\x01мәтін",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "text" in response.json()["error"]["fields"]
    assert Appeal.objects.count() == count


def test_a_nul_in_the_address_is_a_400_not_a_server_error(open311_key, client):
    response = client.get("/open311/v2/requests/31%00.json")
    assert response.status_code == 400


def test_ordinary_text_with_tabs_and_line_breaks_passes(seed_visit, make_user):
    regional = make_user("regional_coordinator", ZHAMBYL)
    response = _page(regional).post(
        f"/visits/{seed_visit.pk}/press-release/save/", {"lang": "ru", "text": "Заголовок\r\n\tТекст — «да»."}
    )
    assert response.status_code == 302 and PressRelease.objects.get().language == "ru"


# Language codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["kkk", "zz", "k\x00"])
@pytest.mark.parametrize("surface", ["save", "generate", "page", "report"])
def test_an_unknown_language_code_is_a_400_naming_lang_and_nothing_is_stored(
    seed_visit, make_user, code, surface
):
    regional = make_user("regional_coordinator", ZHAMBYL)
    client = _page(regional)
    visit = seed_visit.pk
    response = {
        "save": lambda: client.post(f"/visits/{visit}/press-release/save/", {"lang": code, "text": "Мәтін"}),
        "generate": lambda: client.post(f"/visits/{visit}/press-release/generate/", {"lang": code}),
        "page": lambda: client.get(f"/visits/{visit}/press-release/", {"lang": code}),
        "report": lambda: client.get(f"/visits/{visit}/report.docx", {"lang": code}),
    }[surface]()
    assert response.status_code == 400
    assert "lang" in response.content.decode()
    assert not PressRelease.objects.exists()


def test_a_known_interface_language_without_documents_is_refused_for_a_release(seed_visit, make_user):
    regional = make_user("regional_coordinator", ZHAMBYL)
    response = _page(regional).post(
        f"/visits/{seed_visit.pk}/press-release/save/", {"lang": "en", "text": "Text"}
    )
    assert response.status_code == 400 and "lang" in response.content.decode()
    assert not PressRelease.objects.exists()


def test_commands_take_only_the_document_languages(seed_visit):
    with pytest.raises(CommandError):
        call_command("press_release", "--visit", str(seed_visit.pk), "--lang", "zz")


# Addresses and cookies ---------------------------------------------------------------------------


def test_a_search_page_far_past_the_end_is_an_empty_page(make_user):
    client = APIClient()
    client.force_authenticate(make_user("regional_coordinator", ZHAMBYL))
    response = client.get("/api/v1/search/", {"q": "кездесу", "page": "2689498633595535872"})
    assert response.status_code == 200 and response.json()["results"] == []


def test_a_nul_in_the_session_cookie_is_no_server_error(db, client):
    # Django unquotes octal escapes in a quoted cookie value: "\\000" arrives as NUL.
    response = client.get("/", HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"')
    assert response.status_code < 500


def test_a_nul_in_basic_credentials_is_a_400_not_a_server_error(make_user):
    token = base64.b64encode(b"collector\x00:pass-word-123").decode()
    response = Client().get("/openrosa/formList", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 400 and "Authorization" in response.content.decode()
