from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "kelisim.territories"
    label = "territories"
    verbose_name = _("Territories")
