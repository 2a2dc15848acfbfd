"""OpenRosa 1.0 for ODK Collect: the form list, form download, and submissions (offline-collected
responses arrive later, maybe twice: the instanceID makes a resubmission harmless)."""

import base64
import hashlib
from typing import Any

from defusedxml import ElementTree
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kelisim.accounts import policies
from kelisim.accounts.models import Membership
from kelisim.surveys import services
from kelisim.surveys.models import Instrument, InstrumentFile, InstrumentVersion, Response
from kelisim.surveys.xpath import Node

MAX_SUBMISSION = 10 * 1024 * 1024
HEADERS = {"X-OpenRosa-Version": "1.0", "X-OpenRosa-Accept-Content-Length": str(MAX_SUBMISSION)}


def _reply(body: str, status: int = 200, content_type: str = "text/xml; charset=utf-8") -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    for key, value in HEADERS.items():
        response[key] = value
    response["Date"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response


def _message(text: str, status: int, nature: str = "") -> HttpResponse:
    attribute = f' nature="{nature}"' if nature else ""
    return _reply(
        f'<OpenRosaResponse xmlns="http://openrosa.org/http/response"><message{attribute}>{escape(text)}</message></OpenRosaResponse>',
        status,
    )


def _user(request: HttpRequest) -> Any:
    """HTTP Basic, which ODK Collect sends (over HTTPS in production)."""
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        username, _sep, password = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return authenticate(request, username=username, password=password)


def _challenge() -> HttpResponse:
    response = _message("Authentication required", 401)
    response["WWW-Authenticate"] = 'Basic realm="Kelisim"'
    return response


def _current_versions(form_id: str | None = None) -> list[InstrumentVersion]:
    instruments = Instrument.objects.filter(is_active=True).prefetch_related("versions")
    if form_id is not None:
        instruments = instruments.filter(versions__form_id=form_id).distinct()
    found = [i.current for i in instruments if i.current]
    return [v for v in found if form_id is None or v.form_id == form_id]


def _md5(content: bytes) -> str:
    return hashlib.md5(content, usedforsecurity=False).hexdigest()


@require_http_methods(["GET", "HEAD"])
def form_list(request: HttpRequest) -> HttpResponse:
    """The forms a device may download; `?formID=x` lists only x (OpenRosa Form List API)."""
    user = _user(request)
    if user is None:
        return _challenge()
    versions = _current_versions(request.GET.get("formID"))
    with_files = set(
        InstrumentFile.objects.filter(version__in=versions).values_list("version_id", flat=True).distinct()
    )
    items = []
    for version in versions:
        digest = _md5(version.xform.encode())
        url = request.build_absolute_uri(reverse("openrosa-form", args=[version.form_id]))
        manifest = ""
        if version.pk in with_files:
            manifest_url = request.build_absolute_uri(reverse("openrosa-manifest", args=[version.form_id]))
            manifest = f"<manifestUrl>{escape(manifest_url)}</manifestUrl>"
        items.append(
            f"<xform><formID>{escape(version.form_id)}</formID><name>{escape(version.instrument.name)}</name>"
            f"<version>{escape(version.form_version)}</version><hash>md5:{digest}</hash>"
            f"<downloadUrl>{escape(url)}</downloadUrl>{manifest}</xform>"
        )
    return _reply(
        '<?xml version="1.0" encoding="UTF-8"?><xforms xmlns="http://openrosa.org/xforms/xformsList">'
        + "".join(items)
        + "</xforms>"
    )


@require_http_methods(["GET", "HEAD"])
def form_download(request: HttpRequest, form_id: str) -> HttpResponse:
    if _user(request) is None:
        return _challenge()
    version = next(iter(_current_versions(form_id)), None)
    if version is None:
        return _message("No such form", 404)
    return _reply(version.xform)


@require_http_methods(["GET", "HEAD"])
def form_manifest(request: HttpRequest, form_id: str) -> HttpResponse:
    """The media and data files of the current version (OpenRosa Form List API, manifest)."""
    if _user(request) is None:
        return _challenge()
    version = next(iter(_current_versions(form_id)), None)
    if version is None:
        return _message("No such form", 404)
    items = []
    for item in version.files.all().only("name", "md5"):
        url = request.build_absolute_uri(reverse("openrosa-media", args=[version.pk, item.name]))
        items.append(
            f"<mediaFile><filename>{escape(item.name)}</filename><hash>md5:{item.md5}</hash>"
            f"<downloadUrl>{escape(url)}</downloadUrl></mediaFile>"
        )
    return _reply(
        '<?xml version="1.0" encoding="UTF-8"?><manifest xmlns="http://openrosa.org/xforms/xformsManifest">'
        + "".join(items)
        + "</manifest>"
    )


@require_http_methods(["GET", "HEAD"])
def form_media(request: HttpRequest, version_pk: int, filename: str) -> HttpResponse:
    if _user(request) is None:
        return _challenge()
    item = (
        InstrumentFile.objects.filter(
            version_id=version_pk, name=filename, version__instrument__is_active=True
        )
        .only("content", "content_type")
        .first()
    )
    if item is None:
        return _message("No such file", 404)
    response = HttpResponse(bytes(item.content), content_type=item.content_type)
    response["X-OpenRosa-Version"] = "1.0"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _version_of(root: Any) -> InstrumentVersion | HttpResponse:
    """The version a submission answers: its own (form id, version), never the newest instead."""
    form_id = root.attrib.get("id", "")
    versions = InstrumentVersion.objects.filter(form_id=form_id)
    if not form_id or not versions.exists():
        return _message(f"Unknown form “{form_id}”.", 404)
    stated = root.attrib.get("version")
    if stated is None:
        stated = root.attrib.get("{http://openrosa.org/xforms}version")
    if stated is None:
        only = list(versions[:2])
        if len(only) == 1:
            return only[0]
        return _message(f"The submission does not say which version of “{form_id}” it answers.", 400)
    version = versions.filter(form_version=stated).first()
    if version is None:
        return _message(f"The form “{form_id}” has no version “{stated}”: download the form again.", 400)
    return version


def _tree(element: Any) -> Node:
    """The submitted instance as the engine reads it (local names, text of the leaves)."""
    node = Node(element.tag.split("}")[-1], (element.text or "").strip() if len(element) == 0 else "")
    for key, value in element.attrib.items():
        node.attributes[key.split("}")[-1]] = value
    for child in element:
        twin = _tree(child)
        twin.parent = node
        node.children.append(twin)
    return node


@csrf_exempt
@require_http_methods(["HEAD", "POST"])
def submission(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user is None:
        return _challenge()
    if request.method == "HEAD":
        return _message("", 204)
    upload = request.FILES.get("xml_submission_file")
    if upload is None:
        return _message("The request has no xml_submission_file part.", 400)
    if upload.size and upload.size > MAX_SUBMISSION:
        return _message("The submission is too large.", 413)
    try:
        root = ElementTree.fromstring(upload.read())
    except Exception:  # defusedxml refuses entities; ElementTree refuses broken XML
        return _message("The submission is not well-formed XML.", 400)
    version = _version_of(root)
    if isinstance(version, HttpResponse):
        return version
    instance = root.find(".//{*}instanceID")
    instance_id = (instance.text or "").strip() if instance is not None else ""
    if not instance_id:
        return _message("The submission has no meta/instanceID.", 400)
    membership = (
        Membership.objects.filter(user=user, role__capabilities__code="collect_survey")
        .select_related("territory")
        .first()
    )
    if (
        membership is None
        or membership.territory is None
        or not policies.can(user, "collect_survey", membership.territory)
    ):
        return _message("You may not send responses.", 403)
    if Response.objects.filter(instance_id=instance_id).exists():
        return _message("Already received.", 202, "submit_success")
    files: dict[str, tuple[str, bytes]] = {}
    for name in request.FILES:
        if name == "xml_submission_file":
            continue
        upload_part = request.FILES.get(name)
        if not isinstance(upload_part, UploadedFile):
            continue
        filename = upload_part.name or name
        files[filename] = (upload_part.content_type or "application/octet-stream", upload_part.read())
    try:
        services.response_submit(
            actor=user,
            version=version,
            instance=_tree(root),
            territory=membership.territory,
            source=Response.Source.ODK,
            instance_id=instance_id,
            files=files,
        )
    except ValidationError as error:
        return _message(" ".join(error.messages), 400)
    return _message("Thank you: the response is stored.", 201, "submit_success")


urlpatterns = [
    path("formList", form_list, name="openrosa-form-list"),
    path("forms/<str:form_id>.xml", form_download, name="openrosa-form"),
    path("forms/<str:form_id>/manifest", form_manifest, name="openrosa-manifest"),
    path("media/<int:version_pk>/<str:filename>", form_media, name="openrosa-media"),
    path("submission", submission, name="openrosa-submission"),
]
