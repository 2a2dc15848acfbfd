"""Reads of the classifier. Territories are reference data: any signed-in user may read them."""

from django.db.models import Q, QuerySet

from kelisim.text.folding import fold

from .models import Territory


def territory_list(
    *, parent: str | None = None, level: int | None = None, q: str | None = None, active_only: bool = True
) -> QuerySet[Territory]:
    qs = Territory.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    if parent:
        qs = qs.filter(parent__code=parent)
    if level:
        qs = qs.filter(level=level)
    if q:
        # Folded as search_text is: Қордай, Кордай and Кордайский are one query.
        for word in fold(q).split()[:5]:
            qs = qs.filter(Q(search_text__contains=word))
    return qs.order_by("level", "code")


def territory_search(q: str, *, limit: int = 20) -> list[Territory]:
    """The picker's answer: codes by prefix, names by any part, larger units first."""
    q = q.strip()
    if not q:
        return []
    if q.isdecimal():
        return list(Territory.objects.filter(is_active=True, code__startswith=q).order_by("code")[:limit])
    return list(territory_list(q=q).select_related("parent")[:limit])


def territory_get(code: str) -> Territory | None:
    return Territory.objects.select_related("parent").filter(code=code).first()


def territory_ancestors(territory: Territory) -> list[Territory]:
    codes = [c for c in territory.path.split("/") if c and c != territory.code]
    found = {t.code: t for t in Territory.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]
