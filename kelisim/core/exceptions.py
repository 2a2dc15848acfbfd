"""Errors the domain raises; pages and the API turn them into their own shapes."""

from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """Someone else changed the record since it was read: nothing was overwritten."""

    default_message = _("Someone else changed this record after you opened it. Reload it and try again.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(self.default_message))
