"""The offline reception desk: entries written down on the device with the network gone, sent here
when it returns (kelisim/static/kelisim/desk-offline.js).

Each entry carries the id the device gave it (`client_id`); the visitor it makes keeps that id, so
a resend (the answer was lost, the page sent the queue twice) finds the same visitor and answers
"accepted" with the same result, as OpenRosa does for a submission sent again. Registration numbers
and due dates are assigned here, when the entry arrives, never on the device.

The entries are kept on the device encrypted (AES-GCM) with a key bound to the signed-in session:
`desk_key` makes it once per session and keeps it only in the session (server side); the desk page
hands it to its script. Signing out ends the session and the key with it.
"""

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kelisim.accounts import policies

from . import services
from .models import Appeal, ReceptionSession, Visitor

SESSION_KEY = "desk_offline_key"
MAX_ENTRIES = 50
ENTRY_FIELDS = (
    "name",
    "declined_name",
    "contact",
    "settlement",
    "category",
    "department",
    "question",
    "consent_given",
    "outcome_now",
    "appeal_type",
)


def device_user_tag(user: Any) -> str:
    """Who wrote an entry on a shared device, without their id: a keyed hash of it."""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"desk-user:{user.pk}".encode(), hashlib.sha256).hexdigest()[:16]


def desk_key(session_store: Any) -> dict[str, str]:
    """The session's key for the entries kept on the device: 256 random bits, made once per
    signed-in session and kept only in it. `id` tells the device which key an entry was sealed with."""
    found = session_store.get(SESSION_KEY)
    if not found:
        found = {
            "id": secrets.token_hex(8),
            "key": base64.b64encode(secrets.token_bytes(32)).decode(),
        }
        session_store[SESSION_KEY] = found
    return dict(found)


def parse_client_id(value: Any) -> uuid.UUID | None:
    """The entry's id as the device wrote it, or None when it is not one."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


@transaction.atomic
def visitor_with_outcome(
    *,
    actor: Any,
    session: ReceptionSession,
    fields: dict[str, Any],
    outcome: str = "",
    appeal_type: str = "",
    client_id: uuid.UUID | None = None,
) -> Visitor:
    """Register a walk-in and, when it is already known, record the outcome: one transaction, so
    an appeal that cannot be registered leaves no half-written visitor."""
    if client_id is not None:
        fields = {**fields, "client_id": client_id}
    visitor = services.visitor_register(actor=actor, session=session, **fields)
    if outcome:
        visitor = services.visitor_outcome(
            actor=actor, visitor=visitor, outcome=outcome, appeal_type=appeal_type or Appeal.Type.STATEMENT
        )
    return visitor


def _result(client_id: str, status: str, errors: list[str] | None = None) -> dict[str, Any]:
    return {"client_id": client_id, "status": status, "errors": [str(e) for e in errors or []]}


def _accepted(client_id: str, visitor: Visitor) -> dict[str, Any]:
    result = _result(client_id, "accepted")
    appeal = Appeal.objects.filter(visitor=visitor).first()
    result["visitor"] = visitor.pk
    result["outcome"] = str(visitor.get_outcome_display())
    result["desk_url"] = f"{reverse('reception-desk', args=[visitor.session_id])}#visitor-{visitor.pk}"
    result["appeal"] = (
        {
            "number": appeal.number,
            "due_date": appeal.due_date.isoformat(),
            "due": date_format(appeal.due_date, "DATE_FORMAT"),
            "receipt_url": reverse("appeal-receipt", args=[appeal.pk]),
        }
        if appeal is not None
        else None
    )
    return result


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for messages in error.message_dict.values() for m in messages]
    return [str(m) for m in error.messages]


def _form_errors(form: Any) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out += [f"{label}: {e}" if label else str(e) for e in errors]
    return out


def _made_at(value: Any) -> datetime | None:
    made = parse_datetime(value) if isinstance(value, str) else None
    if made is not None and timezone.is_naive(made):
        made = timezone.make_aware(made)
    return made


def _existing(actor: Any, client_id: str, found: Visitor) -> dict[str, Any]:
    """A resend: the same answer as the first time, to whoever may still see the reception."""
    if not policies.can(actor, "manage_reception", found.session.territory):
        return _result(client_id, "refused", [_("This reception is not found or is outside your scope.")])
    return _accepted(client_id, found)


def entry_sync(*, actor: Any, entry: Any) -> dict[str, Any]:
    """Store one entry of the offline desk, once. The answer's `status`: "accepted" (stored now or
    before, with the visitor and the appeal's number, due date and receipt), "conflict" (the
    reception had ended, a field is no longer valid: the specialist resolves it) or "refused" (the
    reception was removed or is outside the sender's scope, or the permission was lost). Nothing
    is stored unless accepted."""
    raw_id = entry.get("client_id") if isinstance(entry, dict) else None
    given = parse_client_id(raw_id)
    if given is None:
        return _result(str(raw_id or ""), "conflict", [_("The entry has no valid id; write it down again.")])
    key = str(given)
    found = Visitor.objects.select_related("session__territory").filter(client_id=given).first()
    if found is not None:
        return _existing(actor, key, found)
    session_id = str(entry.get("session"))
    session = (
        ReceptionSession.objects.select_related("territory", "department").filter(pk=int(session_id)).first()
        if session_id.isdecimal() and len(session_id) < 12
        else None
    )
    if session is None or not policies.can(actor, "manage_reception", session.territory):
        # A removed reception and one outside the sender's scope are one answer.
        return _result(key, "refused", [_("This reception is not found or is outside your scope.")])
    made = _made_at(entry.get("made_at"))
    if made is None:
        return _result(key, "conflict", [_("The entry has no time it was written down.")])
    if made > session.end:
        return _result(
            key,
            "conflict",
            [_("The reception had ended when this visitor was written down: check its times, or discard.")],
        )
    return _store(actor, session, key, given, entry.get("fields"))


def _store(actor: Any, session: ReceptionSession, key: str, given: uuid.UUID, raw: Any) -> dict[str, Any]:
    from .forms import VisitorForm

    data = {
        name: raw.get(name)
        for name in ENTRY_FIELDS
        if isinstance(raw, dict) and isinstance(raw.get(name), str | bool)
    }
    for flag in ("declined_name", "consent_given"):
        if data.get(flag) is False:
            del data[flag]
    form = VisitorForm(data, user=actor, context={"session": session})
    if not form.is_valid():
        return _result(key, "conflict", _form_errors(form))
    cleaned = dict(form.cleaned_data)
    consent = form.consent_text if cleaned.pop("consent_given") else None
    outcome, appeal_type = cleaned.pop("outcome_now"), cleaned.pop("appeal_type")
    try:
        visitor = visitor_with_outcome(
            actor=actor,
            session=session,
            fields={**cleaned, "consent": consent},
            outcome=outcome,
            appeal_type=appeal_type,
            client_id=given,
        )
    except (IntegrityError, ValidationError) as error:
        # Sent twice at once: the other request stored it, and this one answers as it did.
        found = Visitor.objects.select_related("session__territory").filter(client_id=given).first()
        if found is not None:
            return _existing(actor, key, found)
        if isinstance(error, IntegrityError):
            raise
        return _result(key, "conflict", _messages(error))
    return _accepted(key, visitor)


def entries_sync(*, actor: Any, entries: list[Any]) -> list[dict[str, Any]]:
    """Each entry on its own: one that conflicts does not hold back the others."""
    return [entry_sync(actor=actor, entry=entry) for entry in entries[:MAX_ENTRIES]]
