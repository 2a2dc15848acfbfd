"""Pages whose cost follows the page, not the data.

A list's queryset joins what its rows show (territory, department, executor…). Sliced
as it is, the database joins every row in scope and sorts them all to return fifty. The paginator
here reads the page's ids first, from the filtered and ordered queryset without its joins, and then
the fifty rows with their joins: the same rows in the same order, at the cost of the page.
"""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class IdsFirstPaginator(Paginator):
    def page(self, number: Any) -> Page:
        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows.query.combinator or rows.query.is_sliced:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(rows.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in rows.filter(pk__in=ids).order_by()} if ids else {}
        return Page([found[pk] for pk in ids if pk in found], number, self)
