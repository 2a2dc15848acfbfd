"""One row per searchable record, with its text pre-stemmed; the full-text index sits on `stems`
(SQLite FTS5 table or a PostgreSQL GIN index, see the migration)."""

from django.db import models


class SearchDocument(models.Model):
    kind = models.CharField(max_length=16)
    object_id = models.PositiveBigIntegerField()
    territory_path = models.CharField(max_length=120, db_index=True)
    restricted = models.BooleanField(default=False)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    stems = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
