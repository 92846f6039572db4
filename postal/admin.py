from django.contrib import admin

from postal.models import Shipment, ShipmentEvent


class ShipmentEventInline(admin.TabularInline):
    model = ShipmentEvent
    fields = ["status", "occurred_at", "location", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["tracking_number", "dossier", "direction", "status", "fee", "cod_amount", "created_at"]
    list_filter = ["status", "direction", "zone"]
    search_fields = ["tracking_number", "dossier__code"]
    readonly_fields = ["dossier", "tracking_number", "status", "provider", "zone", "fee", "cod_amount", "address"]
    inlines = [ShipmentEventInline]
