"""Notices to applicants: what each one wants to be told and how, the editable texts, and every
notice sent (or tried) with its delivery status.

The app sits below `appeals` (it refers to the appeal by the model's label only): the appeals'
services call it at registration, extension, redirection and answer.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    REGISTERED = "registered", _("registration")
    EXTENDED = "extended", _("extension")
    REDIRECTED = "redirected", _("redirection")
    ANSWERED = "answered", _("answer")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class Language(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")


class NoticePreference(models.Model):
    """Where and in what language the applicant wants to hear about their appeal. Without consent
    (`consent_at`) nothing is sent. Only these two contacts are kept, and only for this purpose."""

    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="notice_preference"
    )
    email = models.EmailField(_("e-mail for notices"), blank=True)
    phone = models.CharField(_("phone for SMS notices"), max_length=16, blank=True)
    language = models.CharField(_("language of notices"), max_length=2, choices=Language.choices)
    consent_at = models.DateTimeField(_("consent to notices given at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def channels(self) -> list[str]:
        if self.consent_at is None:
            return []
        return [c for c, address in ((Channel.EMAIL, self.email), (Channel.SMS, self.phone)) if address]


class NoticeTemplate(models.Model):
    """The words of one kind of notice in one language for one channel, with placeholders:
    {number}, {code}, {received_on}, {due_date}, {reason}, {body}, {answer}, {status_url}, {survey_url}."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=255, blank=True, help_text=_("For e-mail only."))
    text = models.TextField(_("text"))
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("notice text")
        verbose_name_plural = _("notice texts")
        ordering = ["kind", "language", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language", "channel"], name="notice_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.language} · {self.get_channel_display()}"


class Notice(models.Model):
    """One notice to one address: queued, then sent or failed (retried with a growing pause)."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("notice", "queued")
        SENT = "sent", pgettext_lazy("notice", "delivered to the mail server or SMS gateway")
        FAILED = "failed", pgettext_lazy("notice", "not delivered yet")
        ABANDONED = "abandoned", pgettext_lazy("notice", "not delivered; attempts stopped")

    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    # What the text needs beyond the appeal (the reason and the new date of an extension, the body
    # of a redirection), frozen when the notice is made: a retry tells the same.
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A class of error and a code ("HTTP 500", "SMTPRecipientsRefused"), never an address or a text.
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["created_at", "id"]
