"""Lists serialized at the cost of reading attributes.

A DRF serializer reads each field of each row through `field.get_attribute` (a walk of the source
path with its checks for callables and missing keys) and then `to_representation`; for a page of
fifty appeals of twenty-five fields that was more time than the database took to find them
(docs/benchmarks.md). The list serializer here works out once per page how each readable field is
read: a column of the model is read as an attribute (a foreign key as its stored id, a date in ISO
form), and anything else — a method field, a nested serializer, a dotted source, a field class
that renders in its own way — goes through DRF as before. The answer is the same, key for key: the
tests compare both for every list of the API.
"""

import copy
from collections.abc import Callable
from typing import Any

from django.db import models
from rest_framework import ISO_8601, serializers
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

Getter = Callable[[Any], Any]

# Field classes whose to_representation is a plain conversion of a non-null column value.
_CONVERT: dict[Any, Callable[[Any], Any]] = {
    serializers.CharField.to_representation: str,
    serializers.IntegerField.to_representation: int,
}


def _through_drf(field: serializers.Field) -> Getter:
    def get(obj: Any) -> Any:
        try:
            attribute = field.get_attribute(obj)
        except serializers.SkipField:
            return _SKIP
        check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check is None else field.to_representation(attribute)

    return get


_SKIP = object()


def _column(name: str, convert: Callable[[Any], Any] | None) -> Getter:
    if convert is None:
        return lambda obj: getattr(obj, name)

    def get(obj: Any) -> Any:
        value = getattr(obj, name)
        return None if value is None else convert(value)

    return get


def _related(name: str, slug: str) -> Getter:
    def get(obj: Any) -> Any:
        related = getattr(obj, name)
        return None if related is None else getattr(related, slug)

    return get


# DRF's scalar fields whose to_representation depends on the value alone (never a file or URL
# field, which build links from the request).
_CONTEXT_FREE = (
    serializers.BooleanField,
    serializers.IntegerField,
    serializers.BigIntegerField,  # type: ignore[attr-defined]  # DRF 3.15's, not in the stubs
    serializers.FloatField,
    serializers.DecimalField,
    serializers.DateTimeField,
    serializers.DurationField,
    serializers.TimeField,
    serializers.UUIDField,
    serializers.JSONField,
    serializers.EmailField,
    serializers.SlugField,
    serializers.URLField,
)


def _column_getter(field: serializers.Field, column: models.Field) -> Getter | None:
    """How a field reading one column of the model is read without DRF, or None."""
    if type(field).get_attribute not in (
        serializers.Field.get_attribute,
        serializers.RelatedField.get_attribute,
    ):
        return None  # a field that reads its own way (ModelField reads the whole object)
    rep = type(field).to_representation
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        plain = rep is serializers.PrimaryKeyRelatedField.to_representation and field.pk_field is None
        return _column(column.attname, None) if plain and column.is_relation else None
    if isinstance(field, serializers.SlugRelatedField):
        slug = field.slug_field
        plain = rep is serializers.SlugRelatedField.to_representation and "__" not in slug
        return _related(column.name, slug) if plain and column.is_relation else None
    if isinstance(field, serializers.ManyRelatedField | serializers.RelatedField) or column.is_relation:
        return None
    if rep is serializers.DateField.to_representation:
        output = getattr(field, "format", api_settings.DATE_FORMAT)
        if output is not None and output.lower() == ISO_8601:
            return _column(column.attname, lambda value: value.isoformat())
    if rep is serializers.ChoiceField.to_representation:
        choices = field.choice_strings_to_values  # type: ignore[attr-defined]
        return _column(column.attname, lambda value: value if value == "" else choices.get(str(value), value))
    if rep in _CONVERT:
        return _column(column.attname, _CONVERT[rep])
    if type(field) in _CONTEXT_FREE:
        # These convert a value without their parent or the request (a datetime reads the time zone
        # active when it is called); an unbound copy serves every request and holds none of them.
        return _column(column.attname, copy.deepcopy(field).to_representation)
    return None


# How each readable field of a serializer class is read: ("column", getter) without DRF, ("method",
# name) of a SerializerMethodField, ("field", name) through the bound field. Compiled once per class:
# building a ModelSerializer's fields from the model is most of what a page of rows costs.
Step = tuple[str, str, Any]
_COMPILED: dict[type, list[Step]] = {}


def _compile(child: serializers.Serializer) -> list[Step]:  # type: ignore[type-arg]
    model = getattr(getattr(child, "Meta", None), "model", None)
    columns = {f.name: f for f in model._meta.concrete_fields} if model is not None else {}
    steps: list[Step] = []
    for field in child._readable_fields:
        name = str(field.field_name)
        if isinstance(field, serializers.SerializerMethodField):
            steps.append((name, "method", field.method_name))
            continue
        sources = field.source_attrs
        column = columns.get(sources[0]) if len(sources) == 1 else None
        getter = _column_getter(field, column) if column is not None else None
        steps.append((name, "column", getter) if getter else (name, "field", name))
    return steps


def _cacheable(child: serializers.Serializer) -> bool:  # type: ignore[type-arg]
    """A serializer whose fields are the same for every instance: it neither builds them in its own
    way nor changes them when it is made."""
    kind = type(child)
    return (
        kind.get_fields is serializers.ModelSerializer.get_fields
        and kind.__init__ is serializers.BaseSerializer.__init__
    )


def plan(child: serializers.Serializer) -> list[tuple[str, Getter]]:  # type: ignore[type-arg]
    kind = type(child)
    compiled = _COMPILED.get(kind)
    if compiled is None:
        compiled = _compile(child)
        if _cacheable(child):
            _COMPILED[kind] = compiled
    bound: list[tuple[str, Getter]] = []
    for name, how, what in compiled:
        if how == "column":
            bound.append((name, what))
        elif how == "method":
            bound.append((name, getattr(child, what)))
        else:
            bound.append((name, _through_drf(child.fields[what])))
    return bound


class LeanListSerializer(serializers.ListSerializer):  # type: ignore[type-arg]
    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        child = self.child
        if not isinstance(child, serializers.Serializer) or (
            type(child).to_representation is not serializers.Serializer.to_representation
        ):
            return super().to_representation(data)
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        steps = plan(child)
        out = []
        for row in rows:
            item = {}
            for name, get in steps:
                value = get(row)
                if value is not _SKIP:
                    item[name] = value
            out.append(item)
        return out
