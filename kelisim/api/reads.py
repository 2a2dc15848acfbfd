"""API lists and single reads that record what they showed, through the domain's own audit of reads.

A view names its domain function in `shown(rows)`; the page of rows is passed through it after
pagination and before serialization, so one read of a page writes one audit row naming exactly the
records that went out."""

from typing import Any

from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response


class AuditedReads(generics.GenericAPIView):
    def shown(self, rows: list[Any]) -> list[Any]:
        """The rows, after the domain's audit of their read (e.g. `events_shown`)."""
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = self.shown(list(page if page is not None else queryset))
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.shown([self.get_object()])[0]
        return Response(self.get_serializer(obj).data)
