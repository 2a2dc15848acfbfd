from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from kelisim.core.pagination import COUNT_CAP, IdsFirstPaginator


class Pagination(PageNumberPagination):
    """Pages of the list endpoints, read ids first, counted up to COUNT_CAP (kelisim.core.pagination)."""

    django_paginator_class = IdsFirstPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        paginator = self.page.paginator
        capped = isinstance(paginator, IdsFirstPaginator) and paginator.capped
        return Response(
            {
                "count": paginator.shown_count
                if isinstance(paginator, IdsFirstPaginator)
                else paginator.count,
                "capped": capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        properties = described["properties"]
        properties["count"] = {
            **properties["count"],
            "description": f"The rows, counted up to {COUNT_CAP:,}; see `capped`.",
        }
        properties = {
            "count": properties["count"],
            "capped": {
                "type": "boolean",
                "example": False,
                "description": "There are more rows than `count`; follow `next` to read them.",
            },
            **{k: v for k, v in properties.items() if k != "count"},
        }
        described["properties"] = properties
        described["required"] = [*described.get("required", []), "capped"]
        return described
