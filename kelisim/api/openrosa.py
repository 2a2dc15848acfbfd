"""OpenRosa 1.0 for ODK Collect: the form list, form download, and submissions (offline-collected
responses arrive later, maybe twice: the instanceID makes a resubmission harmless)."""

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kelisim.accounts import policies, throttle
from kelisim.accounts.models import Membership
from kelisim.core import untrusted_xml
from kelisim.surveys import services
from kelisim.surveys.models import Instrument, InstrumentFile, InstrumentVersion, Response
from kelisim.surveys.xpath import Node

from .auth import collection_credential_user

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
    """The collector: the owner of the collection credential that ODK Collect sends as HTTP Basic
    (over HTTPS in production). Never the session cookie (submission skips CSRF) nor a password."""
    return collection_credential_user(request)


def _challenge(request: HttpRequest) -> HttpResponse:
    """No collector: a locked-out name is told so (429), anyone else is asked to sign in (401)."""
    if getattr(request, "axes_locked_out", False):
        response = _message(
            gettext(
                "Too many failed sign-ins with this user name from this address. Try again in an "
                "hour, or ask an administrator to unlock the account."
            ),
            429,
        )
        response["Retry-After"] = str(throttle.retry_after_seconds(request))
        return throttle.mark_answered(response)  # the login throttle keeps this answer
    response = _message(
        gettext(
            "Sign in with your user name and a collection credential made for this device on "
            "the Collection credentials page. The account's password is not accepted here."
        ),
        401,
    )
    response["WWW-Authenticate"] = 'Basic realm="Kelisim OpenRosa", charset="UTF-8"'
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
        return _challenge(request)
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
        return _challenge(request)
    version = next(iter(_current_versions(form_id)), None)
    if version is None:
        return _message("No such form", 404)
    return _reply(version.xform)


@require_http_methods(["GET", "HEAD"])
def form_manifest(request: HttpRequest, form_id: str) -> HttpResponse:
    """The media and data files of the current version (OpenRosa Form List API, manifest)."""
    if _user(request) is None:
        return _challenge(request)
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
        return _challenge(request)
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
        return _challenge(request)
    if request.method == "HEAD":
        return _message("", 204)
    upload = request.FILES.get("xml_submission_file")
    if upload is None:
        return _message("The request has no xml_submission_file part.", 400)
    if upload.size and upload.size > MAX_SUBMISSION:
        return _message("The submission is too large.", 413)
    try:
        # No DTD, no entities, at most MAX_DEPTH levels: `_answers` below walks the tree recursively.
        root = untrusted_xml.parse(upload.read())
    except untrusted_xml.UnsafeXml as error:
        return _message(error.message("xml_submission_file"), 400)
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
