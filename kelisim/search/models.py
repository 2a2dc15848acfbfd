"""One row per searchable record, with its text pre-stemmed; the full-text index sits on `stems`
(SQLite FTS5 table `search_fts(stems, scope)`, or on PostgreSQL a stored tsvector column `vector`
with its GIN index: see migrations 0001 and 0004).

Rows carry the generation of the index they belong to: a rebuild writes a new generation beside
the live one and makes it live in one statement at the end (SearchIndex), so a rebuild stopped
midway leaves the live index whole (docs/adr/0012-search-bounded.md)."""

from django.db import models


class SearchDocument(models.Model):
    generation = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=16)
    object_id = models.PositiveBigIntegerField()
    territory_path = models.CharField(max_length=120, db_index=True)
    restricted = models.BooleanField(default=False)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    stems = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["generation", "kind", "object_id"], name="search_document_unique")
        ]


class SearchIndex(models.Model):
    """The one row saying which generation searches read, and which one a rebuild is writing."""

    live = models.PositiveIntegerField(default=0)
    building = models.PositiveIntegerField(null=True, blank=True)
