"""Every write about notices: the applicant's preference, a notice made and queued, its delivery
(with a growing pause between attempts), and the editable texts. No address or name is ever
written to the log or the audit; errors are kept as a class and a code."""

import logging
import re
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.core.audit import audit_record

from . import sms, texts
from .models import Channel, Kind, Language, Notice, NoticePreference, NoticeTemplate

logger = logging.getLogger(__name__)

# The pause after the n-th failed attempt; after the last one the notice is given up.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A notice the worker has not taken this long after it was made is taken by `kelisim send_notices`.
WORKER_GRACE = timedelta(minutes=10)
ANONYMOUS = "anonymous"


def normalize_phone(raw: str) -> str:
    """A Kazakhstan mobile number as +7XXXXXXXXXX; anything else is refused."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10 or digits[0] != "7":
        raise ValidationError({"notice_phone": _("Write a mobile number like +7 701 123 45 67.")})
    return f"+7{digits}"


def clean_preference(
    *, applicant_kind: str, email: str = "", phone: str = "", language: str = "", consent: bool = False
) -> dict[str, Any] | None:
    """Check what the applicant asked for; None when nothing is to be sent (and so nothing kept):
    no consent, or an anonymous appeal."""
    email, phone = (email or "").strip(), (phone or "").strip()
    if applicant_kind == ANONYMOUS or not consent:
        return None
    if not email and not phone:
        raise ValidationError(
            {"notice_email": _("Give an e-mail or a phone for the notices, or leave the consent unticked.")}
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"notice_email": _("Write a valid e-mail address.")}) from None
    if language not in Language.values:
        raise ValidationError({"notice_language": _("Choose the language of the notices.")})
    return {"email": email, "phone": normalize_phone(phone) if phone else "", "language": language}


def preference_record(
    *, appeal: Any, email: str = "", phone: str = "", language: str = "", consent: bool = False
) -> NoticePreference | None:
    """Keep the applicant's choice with the time of their consent (part of the registration's
    transaction); nothing is kept without consent or for an anonymous appeal."""
    cleaned = clean_preference(
        applicant_kind=appeal.applicant_kind, email=email, phone=phone, language=language, consent=consent
    )
    if cleaned is None:
        return None
    preference = NoticePreference.objects.create(appeal=appeal, consent_at=timezone.now(), **cleaned)
    audit_record(
        actor=None,
        action="notice.consent",
        obj=appeal,
        territory_path=appeal.territory.path,
        params={"email": bool(cleaned["email"]), "sms": bool(cleaned["phone"]), "language": language},
    )
    return preference


def notify(*, appeal: Any, kind: str, **params: Any) -> list[Notice]:
    """Make the notices of `kind` for the appeal, one per channel the applicant agreed to, and hand
    each to the worker once the transaction commits. Nothing for anonymous appeals or without
    consent. `params`: what the text needs beyond the appeal (reason, due_date, body, answer)."""
    if appeal.applicant_kind == ANONYMOUS or getattr(appeal, "anonymized", False):
        return []
    preference = NoticePreference.objects.filter(appeal=appeal).first()
    if preference is None:
        return []
    safe = {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in params.items()}
    made = [
        Notice.objects.create(
            appeal=appeal, kind=kind, channel=channel, language=preference.language, params=safe
        )
        for channel in preference.channels()
    ]
    for notice in made:
        audit_record(
            actor=None,
            action="notice.queue",
            obj=notice,
            territory_path=appeal.territory.path,
            params={"kind": kind, "channel": notice.channel, "appeal": appeal.pk},
        )
        transaction.on_commit(partial(_enqueue, notice.pk))
    return made


def _enqueue(pk: int) -> None:
    from .tasks import deliver_notice

    deliver_notice.enqueue(pk)


def _safe_error(error: Exception) -> str:
    """What went wrong, without the address or the text: an SMTP server's refusal quotes both."""
    if isinstance(error, sms.SmsError):
        return str(error)[:255]
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__}{f' {code}' if code else ''}"[:255]


def _send(notice: Notice, preference: NoticePreference) -> None:
    subject, text = texts.render(
        kind=notice.kind,
        language=notice.language,
        channel=notice.channel,
        appeal=notice.appeal,
        params=notice.params,
    )
    if notice.channel == Channel.EMAIL:
        EmailMessage(subject=subject, body=text, to=[preference.email]).send(fail_silently=False)
    else:
        sms.gateway().send(to=preference.phone, text=text)


def _record_told(notice: Notice, day: Any) -> None:
    """The law counts the days until the applicant is told of an extension or a redirection: the
    first notice sent is that day, unless staff recorded one already."""
    field = {Kind.EXTENDED: "applicant_told_on", Kind.REDIRECTED: "redirect_notice_on"}.get(notice.kind)  # type: ignore[call-overload]
    if field:
        type(notice.appeal)._default_manager.filter(pk=notice.appeal_id, **{f"{field}__isnull": True}).update(
            **{field: day}
        )


def deliver(notice_id: int, *, now: Any = None) -> str:
    """Try to send the notice once; return its status. A notice is claimed before it is sent (its
    attempt counted and the next one pushed away), so two workers never send it twice."""
    now = now or timezone.now()
    claimed = (
        Notice.objects.filter(pk=notice_id, status__in=[Notice.Status.QUEUED, Notice.Status.FAILED])
        .filter(Q(attempts=0) | Q(next_attempt_at__lte=now))
        .update(attempts=F("attempts") + 1, next_attempt_at=now + WORKER_GRACE)
    )
    notice = Notice.objects.select_related("appeal__territory").get(pk=notice_id)
    if not claimed:
        return notice.status
    preference = NoticePreference.objects.filter(appeal_id=notice.appeal_id).first()
    try:
        if preference is None or preference.consent_at is None or notice.appeal.anonymized:
            raise ValueError("consent withdrawn")
        _send(notice, preference)
    except Exception as error:
        notice.last_error = _safe_error(error)
        if notice.attempts >= MAX_ATTEMPTS or isinstance(error, ValueError | NoticeTemplate.DoesNotExist):
            notice.status, notice.next_attempt_at = Notice.Status.ABANDONED, None
        else:
            notice.status = Notice.Status.FAILED
            notice.next_attempt_at = now + BACKOFF[notice.attempts - 1]
        notice.save(update_fields=["status", "last_error", "next_attempt_at"])
        logger.warning(
            "notice %s (%s, %s) attempt %s failed: %s",
            notice.pk,
            notice.kind,
            notice.channel,
            notice.attempts,
            notice.last_error,
        )
    else:
        notice.status, notice.sent_at, notice.next_attempt_at, notice.last_error = (
            Notice.Status.SENT,
            timezone.now(),
            None,
            "",
        )
        notice.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
        _record_told(notice, timezone.localdate(notice.sent_at))
        logger.info("notice %s (%s, %s) sent", notice.pk, notice.kind, notice.channel)
    audit_record(
        actor=None,
        action=f"notice.{notice.status}",
        obj=notice,
        territory_path=notice.appeal.territory.path,
        params={"kind": notice.kind, "channel": notice.channel, "attempt": notice.attempts},
    )
    return notice.status


def retry_due(*, now: Any = None) -> int:
    """Send again every failed notice whose pause is over, and any the worker never took;
    `kelisim send_notices` (deploy/kelisim-notices.timer) runs this every few minutes."""
    now = now or timezone.now()
    due = Notice.objects.filter(status__in=[Notice.Status.QUEUED, Notice.Status.FAILED]).filter(
        Q(next_attempt_at__lte=now) | Q(attempts=0, created_at__lte=now - WORKER_GRACE)
    )
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:500])
    for pk in ids:
        deliver(pk, now=now)
    return len(ids)


# The texts ----------------------------------------------------------------------------------------

TEMPLATE_FIELDS = ("kind", "language", "channel", "subject", "text")


def _require_reference(actor: Any) -> None:
    if not policies.can_everywhere(actor, "manage_reference"):
        raise PermissionDenied(_("Only an administrator of the whole country may change this list."))


@transaction.atomic
def template_save(*, actor: Any, template: NoticeTemplate | None = None, **fields: Any) -> NoticeTemplate:
    """Add the text of a kind × language × channel, or change one; unknown placeholders are refused."""
    _require_reference(actor)
    row = template or NoticeTemplate()
    for name in ("subject", "text"):
        unknown = texts.check(fields.get(name, "") or "")
        if unknown:
            raise ValidationError(
                {
                    name: _("Unknown placeholders: %(names)s. Use only %(known)s.")
                    % {
                        "names": ", ".join(unknown),
                        "known": ", ".join(f"{{{p}}}" for p in texts.PLACEHOLDERS),
                    }
                }
            )
    if not (fields.get("text") or "").strip():
        raise ValidationError({"text": _("Write the text of the notice.")})
    changed = [k for k in TEMPLATE_FIELDS if k in fields and getattr(row, k) != fields[k]]
    if template is not None and {"kind", "language", "channel"} & set(changed):
        raise ValidationError({"kind": _("The kind, language and channel of a text stay as they are.")})
    for name in changed:
        setattr(row, name, fields[name].strip() if isinstance(fields[name], str) else fields[name])
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="notice_template.update" if template else "notice_template.create",
        obj=row,
        params={"fields": changed, "kind": row.kind, "language": row.language, "channel": row.channel},
    )
    return row
