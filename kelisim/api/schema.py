"""The OpenAPI schema tells the whole answer, errors included.

Every error of the API is one envelope, {"error": {"code", "message", "fields"}}
(kelisim.api.errors); `AutoSchema` documents it as the `Error` component on each operation, with
the statuses that operation can answer:

- 400: it takes parameters or a body (a bad filter, a field that fails validation, an unknown
  field, a control character refused at the edge).
- 401 and 403: every operation needs a signed-in caller; 403 when the session has not verified
  its second factor, or the data is only for holders of a capability.
- 404: an address naming a record (missing and "not yours" answer alike), a write (one without
  the capability is told 404, as a page would), a page number past the end of a list.
- 406: an Accept header that asks for nothing the operation writes.
- 409: an operation listed in its view's `conflict_actions` (a stale `version`).
- 415: a body in a media type the operation does not read.

A view names an error status its operations answer beyond these in `error_statuses`.
"""

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions

WRITES = ("POST", "PUT", "PATCH", "DELETE")


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable: clients branch on it (invalid, not_found, conflict…).",
                },
                "message": {"type": "string", "description": "For people, in the caller's language."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {
                        "oneOf": [
                            {
                                "type": "array",
                                "items": {
                                    "oneOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}]
                                },
                            },
                            {"type": "object"},
                        ]
                    },
                    "description": "For each field in error (`non_field_errors` for the whole), its "
                    "messages; a nested field's errors are an object, or a list with one object per row.",
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}
_WHY = {
    "400": "The parameters or the body are invalid; `fields` names each one.",
    "401": "No valid credentials: a missing, revoked or expired token.",
    "403": "Signed in, but not allowed: a second factor is missing, or a capability.",
    "404": "Not found, or not in your scope (the same answer for both).",
    "406": "The Accept header asks for a media type this operation does not write.",
    "409": "The record changed since you read it: read it again, then retry.",
    "415": "The body is in a media type this operation does not read.",
}


class AutoSchema(openapi.AutoSchema):
    def errors_answered(self) -> list[str]:
        has_parameters = bool(self._get_parameters())
        has_body = self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None
        statuses = ["403", "406"]
        if has_parameters or has_body:
            statuses.append("400")
        if any(p is not permissions.AllowAny for p in self.view.permission_classes):
            statuses.append("401")
        paginated_list = self._is_list_view() and self._get_paginator() is not None
        if "{" in self.path or self.method in WRITES or paginated_list:
            statuses.append("404")
        if getattr(self.view, "action", None) in getattr(self.view, "conflict_actions", ()):
            statuses.append("409")
        statuses.extend(getattr(self.view, "error_statuses", ()))
        if has_body:
            statuses.append("415")
        return sorted(set(statuses))

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        component = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(component)
        for status in self.errors_answered():
            responses.setdefault(
                status,
                {"content": {"application/json": {"schema": component.ref}}, "description": _WHY[status]},
            )
        return dict(sorted(responses.items()))
