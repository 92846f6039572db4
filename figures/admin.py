from django.contrib import admin

from figures.models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """Yearly targets per agency (e.g. online share ≥ 20%); the dashboard shows progress against them."""

    list_display = ["agency", "year", "metric", "percent"]
    list_filter = ["year", "metric"]
    search_fields = ["agency__code", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    ordering = ["-year", "agency__code", "metric"]
