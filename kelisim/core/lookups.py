"""`field__prefix="31/"`: the rows whose value begins with a prefix, on the column's index.

Territory paths ("310000000/314800000/") make a subtree one prefix, and scope checks ask for one on
every request. Django's `startswith` is `LIKE 'p%'`, which neither engine answers from a plain
index: SQLite's LIKE ignores case, so its planner can't use a BINARY index; PostgreSQL's needs a
`varchar_pattern_ops` index unless the database collates as "C". At national scale that made every
list scan the whole classifier (docs/benchmarks.md). Here SQLite gets the range [p, p + U+10FFFF),
which a BINARY index answers (SQLite compares text as bytes), and PostgreSQL LIKE, which the
`varchar_pattern_ops` index Django adds beside every indexed CharField answers.
"""

from typing import Any

from django.db import models
from django.db.models import Lookup

# Above every character: the range's end for "begins with" in byte order.
_LAST = "\U0010ffff"


def _like_escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@models.CharField.register_lookup
class Prefix(Lookup):  # type: ignore[type-arg]
    lookup_name = "prefix"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if hasattr(self.rhs, "resolve_expression"):
            # The range's end is computed from the prefix's text, so only a value can be one.
            raise TypeError("__prefix takes a string, not an expression")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} LIKE %s", [*lhs_params, _like_escaped(prefix) + "%"]
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, prefix, *lhs_params, prefix + _LAST]
