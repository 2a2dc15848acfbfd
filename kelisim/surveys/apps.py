from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "kelisim.surveys"
    label = "surveys"
    verbose_name = _("Surveys and focus groups")

    def ready(self) -> None:
        # Responses edited or deleted through the ORM move their rollup rows (rollups.py).
        from django.db.models.signals import post_save, pre_delete, pre_save

        from . import rollups
        from .models import Response

        pre_save.connect(rollups.before_save, sender=Response, dispatch_uid="rollup-before-save")
        post_save.connect(rollups.after_save, sender=Response, dispatch_uid="rollup-after-save")
        pre_delete.connect(rollups.before_delete, sender=Response, dispatch_uid="rollup-before-delete")
