from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kelisim.accounts.models import Department, Membership, User
from kelisim.accounts.selectors import territory_choices
from kelisim.core.scoping import scoped
from kelisim.territories.models import Territory

from .fields import ModelSerializer, ScopedSlugRelatedField


def writable_territory(capability: str, **kwargs: Any) -> ScopedSlugRelatedField:
    """A KATO code among the units where the caller holds `capability`: reading the classifier
    is open to all, writing in a unit is not. A code elsewhere is answered like a missing one."""
    return ScopedSlugRelatedField(
        Territory, slug_field="code", scope=scoped(territory_choices, capability=capability), **kwargs
    )


class TerritorySerializer(ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[assignment,var-annotated]
    level = serializers.SerializerMethodField()
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Territory
        fields = ["code", "level", "parent", "name", "name_kk", "name_ru", "is_active", "retired_on"]

    @extend_schema_field(serializers.ChoiceField(choices=["region", "district", "okrug", "settlement"]))
    def get_level(self, obj: Territory) -> str:
        return {1: "region", 2: "district", 3: "okrug", 4: "settlement"}[obj.level]


class MembershipSerializer(ModelSerializer):
    role: serializers.Field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    territory: serializers.Field = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Membership
        fields = ["role", "territory"]


class MeSerializer(ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)
    capabilities = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "language", "memberships", "capabilities"]

    def get_capabilities(self, obj: User) -> list[dict[str, Any]]:
        from kelisim.accounts.policies import grants

        return [{"capability": c, "territory_path": p} for c, p in sorted(grants(obj))]


class DepartmentSerializer(ModelSerializer):
    territory = writable_territory("manage_department")
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Department
        fields = [
            "id",
            "code",
            "kind",
            "sector",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "territory",
            "is_active",
        ]
