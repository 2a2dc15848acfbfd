from django.contrib import admin

from .models import ClassifierVersion, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_kk", "name_ru", "level", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name_kk", "name_ru", "search_text"]
    readonly_fields = ["path", "classifier_date"]
    raw_id_fields = ["parent"]


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(admin.ModelAdmin):
    list_display = ["classifier_date", "source", "loaded_at", "created", "updated", "retired"]
