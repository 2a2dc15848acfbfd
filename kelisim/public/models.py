"""What the public side keeps of its own: the failed or counted attempts its throttles count."""

from django.db import models


class Attempt(models.Model):
    """One counted attempt (a wrong status code, a pre-registration). `key` is a keyed hash of the
    client's address or of the appeal number, never the value itself."""

    kind = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"], name="public_attempt_idx")]
