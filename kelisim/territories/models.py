"""Units of the KATO classifier: region > district or city > rural okrug or town > settlement."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import localized


class Level(models.IntegerChoices):
    REGION = 1, _("region")
    DISTRICT = 2, _("district or city")
    OKRUG = 3, _("rural okrug or town")
    SETTLEMENT = 4, _("settlement")


class NameSource(models.TextChoices):
    OFFICIAL = "official", _("from an official list")
    DERIVED = "derived", _("derived from the Russian name")
    EDITED = "edited", _("corrected by an administrator")


class Territory(models.Model):
    code = models.CharField(_("KATO code"), max_length=9, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Codes from the root down, each followed by "/": a subtree is one prefix, `path__prefix`
    # (kelisim.core.lookups), which both engines answer from this index.
    path = models.CharField(_("path"), max_length=120, db_index=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=200, blank=True)
    # Where name_kk comes from: an official list, the language kit's derivation from name_ru
    # (kelisim/text/toponyms.py), or an administrator's correction, which a reload keeps.
    name_kk_source = models.CharField(
        _("source of the Kazakh name"), max_length=8, choices=NameSource.choices, default=NameSource.OFFICIAL
    )
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    # The code and the kk and ru names folded by kelisim.text.folding.fold (lower case, Kazakh
    # letters as their Russian look-alikes, Russian adjectives cut to the root), so that Қордай,
    # Кордай and Кордайский find each other; folded in Python, since SQLite's LIKE folds ASCII only.
    search_text = models.CharField(max_length=420, editable=False, db_index=False)
    is_active = models.BooleanField(_("in force"), default=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    classifier_date = models.DateField(_("classifier date"))

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    def contains(self, other: "Territory") -> bool:
        return other.path.startswith(self.path)


class ClassifierVersion(models.Model):
    """One load of a classifier file: which date it carries and what it changed."""

    classifier_date = models.DateField(_("classifier date"))
    source = models.CharField(_("source file"), max_length=255)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    created = models.PositiveIntegerField(_("units added"), default=0)
    updated = models.PositiveIntegerField(_("units updated"), default=0)
    retired = models.PositiveIntegerField(_("units retired"), default=0)

    class Meta:
        verbose_name = _("classifier version")
        verbose_name_plural = _("classifier versions")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"KATO {self.classifier_date}"
