from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kelisim.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import lookups  # noqa: F401 - registers `__prefix` on CharField
