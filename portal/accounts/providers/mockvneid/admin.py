from django.contrib import admin

from portal.accounts.providers.mockvneid.models import Resident


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["national_id", "full_name", "birthdate", "phone"]
    search_fields = ["national_id", "full_name", "phone"]
