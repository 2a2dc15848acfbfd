"""Pages whose cost follows the page, not the data.

A list's queryset joins what its rows show (territory, department, executor…). Sliced
as it is, the database joins every row in scope and sorts them all to return fifty. The paginator
here reads the page's ids first, from the filtered and ordered queryset without its joins, and then
the fifty rows with their joins: the same rows in the same order, at the cost of the page.

The count stops at COUNT_CAP, as search's does: counting a region's closed appeals read every one
of them (79,000 index entries nationally, more than the rest of the page together), and "10,000+"
tells a reader as much as the exact figure. Past the cap the pages go on: a page knows there is a
next one by reading one id more than it shows.
"""

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class IdsFirstPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        """The number of rows, or `cap` + 1 when there are more than `cap`."""
        rows = self._queryset()
        if rows is None:
            return super().count
        return rows.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """Whether `count` stopped at the cap (then `shown_count` is the cap, and there are more)."""
        return self._queryset() is not None and self.count > self.cap

    @property
    def shown_count(self) -> int:
        return min(self.count, self.cap) if self.capped else self.count

    def validate_number(self, number: Any) -> int:
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)  # its "not an integer" error
        if number < 1:
            return super().validate_number(number)  # its "less than 1" error
        return number  # past the cap a page exists if it finds rows (see `page`)

    def _queryset(self) -> QuerySet[Any] | None:
        """The rows, when they are a queryset that can be read ids first (else None)."""
        rows = self.object_list
        if isinstance(rows, QuerySet) and not rows.query.combinator and not rows.query.is_sliced:
            return rows
        return None

    def page(self, number: Any) -> Page:
        rows = self._queryset()
        if rows is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.capped and top + self.orphans >= self.count:
            top = self.count
        ids = list(rows.values_list("pk", flat=True)[bottom : top + 1])
        more = len(ids) > top - bottom
        ids = ids[: top - bottom]
        if not ids and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        found = {row.pk: row for row in rows.filter(pk__in=ids).order_by()} if ids else {}
        return IdsFirstPage([found[pk] for pk in ids if pk in found], number, self, more=more)


class IdsFirstPage(Page):
    """A page that knows whether another follows from the id it read past its end (the count
    can't say once it is capped)."""

    def __init__(self, object_list: Any, number: int, paginator: Paginator, *, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        # The count and the page's ids are two statements, and on PostgreSQL each reads its own
        # snapshot: rows added between them make a page read an id past a count that says it is
        # the last. The id read is the fresher answer, so it decides, as `has_next` does.
        if self.more:
            return self.number + 1
        return super().next_page_number()
