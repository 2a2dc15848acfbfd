from rest_framework.pagination import PageNumberPagination

from kelisim.core.pagination import IdsFirstPaginator


class Pagination(PageNumberPagination):
    """Pages of the list endpoints, read ids first (kelisim.core.pagination)."""

    django_paginator_class = IdsFirstPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
