"""Press releases (every saved version kept) and the press office's wording for restricted events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PressRelease(models.Model):
    visit = models.ForeignKey(
        "programs.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, related_name="press_releases"
    )
    language = models.CharField(_("language"), max_length=2, choices=[("kk", "Қазақша"), ("ru", "Русский")])
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    generated = models.BooleanField(_("generated draft"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")
        ordering = ["visit", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "language", "number"], name="press_release_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit} [{self.language}] v{self.number}"


class RestrictedTemplate(models.Model):
    """How a release may mention a restricted event: the press office writes it; `{date}` is the
    only detail filled in unless counts are allowed (`{count}`)."""

    language = models.CharField(
        _("language"), max_length=2, unique=True, choices=[("kk", "Қазақша"), ("ru", "Русский")]
    )
    text = models.TextField(_("text"))
    allow_counts = models.BooleanField(_("counts may be given"), default=False)

    class Meta:
        verbose_name = _("wording for restricted events")
        verbose_name_plural = _("wording for restricted events")

    def __str__(self) -> str:
        return self.language
