from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kelisim.accounts.models import Department, Membership, User
from kelisim.territories.models import Territory


class TerritorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[assignment,var-annotated]
    level = serializers.SerializerMethodField()
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Territory
        fields = ["code", "level", "parent", "name", "name_kk", "name_ru", "is_active", "retired_on"]

    @extend_schema_field(serializers.ChoiceField(choices=["region", "district", "okrug", "settlement"]))
    def get_level(self, obj: Territory) -> str:
        return {1: "region", 2: "district", 3: "okrug", 4: "settlement"}[obj.level]


class MembershipSerializer(serializers.ModelSerializer):
    role: serializers.Field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    territory: serializers.Field = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Membership
        fields = ["role", "territory"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)
    capabilities = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "language", "memberships", "capabilities"]

    def get_capabilities(self, obj: User) -> list[dict[str, Any]]:
        from kelisim.accounts.policies import grants

        return [{"capability": c, "territory_path": p} for c, p in sorted(grants(obj))]


class DepartmentSerializer(serializers.ModelSerializer):
    territory = serializers.SlugRelatedField(
        slug_field="code", queryset=Territory.objects.filter(is_active=True)
    )
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
