"""OpenRosa 1.0 for ODK Collect: the form list, form download, and submissions (offline-collected
responses arrive later, maybe twice: the instanceID makes a resubmission harmless)."""

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kelisim.accounts import policies, throttle
from kelisim.accounts.models import Membership
from kelisim.core import untrusted_xml
from kelisim.surveys import services
from kelisim.surveys.models import Instrument, InstrumentVersion, Response

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


def _current_versions() -> list[InstrumentVersion]:
    return [
        i.current for i in Instrument.objects.filter(is_active=True).prefetch_related("versions") if i.current
    ]


@require_http_methods(["GET", "HEAD"])
def form_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user is None:
        return _challenge(request)
    items = []
    for version in _current_versions():
        digest = hashlib.md5(version.xform.encode(), usedforsecurity=False).hexdigest()
        url = request.build_absolute_uri(f"/openrosa/forms/{version.form_id}.xml")
        items.append(
            f"<xform><formID>{escape(version.form_id)}</formID><name>{escape(version.instrument.name)}</name>"
            f"<version>{escape(version.form_version)}</version><hash>md5:{digest}</hash>"
            f"<downloadUrl>{escape(url)}</downloadUrl></xform>"
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
    version = next((v for v in _current_versions() if v.form_id == form_id), None)
    if version is None:
        return _message("No such form", 404)
    return _reply(version.xform)


def _answers(element: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for child in element:
        tag = child.tag.split("}")[-1]
        if len(child):
            if tag != "meta":
                found.update(_answers(child))
        else:
            found[tag] = (child.text or "").strip()
    return found


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
    form_id = root.attrib.get("id", "")
    version = next((v for v in _current_versions() if v.form_id == form_id), None)
    if version is None:
        version = InstrumentVersion.objects.filter(
            form_id=form_id, form_version=root.attrib.get("version", "")
        ).first()
    if version is None:
        return _message(f"Unknown form “{form_id}”.", 404)
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
    try:
        services.response_submit(
            actor=user,
            version=version,
            raw=_answers(root),
            territory=membership.territory,
            source=Response.Source.ODK,
            instance_id=instance_id,
        )
    except ValidationError as error:
        return _message(" ".join(error.messages), 400)
    return _message("Thank you: the response is stored.", 201, "submit_success")


urlpatterns = [
    path("formList", form_list, name="openrosa-form-list"),
    path("forms/<str:form_id>.xml", form_download, name="openrosa-form"),
    path("submission", submission, name="openrosa-submission"),
]
