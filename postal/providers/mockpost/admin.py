from django.contrib import admin

from postal.providers.mockpost.models import Parcel


@admin.register(Parcel)
class ParcelAdmin(admin.ModelAdmin):
    list_display = ["tracking_number", "merchant_reference", "status", "cod_amount", "next_step_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["tracking_number", "merchant_reference"]
