from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    total, hits = selectors.search(user=request.user, query=query, limit=50) if query.strip() else (0, [])
    capped = total > selectors.COUNT_CAP
    context = {"q": query, "total": min(total, selectors.COUNT_CAP), "capped": capped, "hits": hits}
    return render(request, "search/results.html", context)
