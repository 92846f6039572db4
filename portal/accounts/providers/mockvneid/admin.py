from django.contrib import admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from portal.accounts.providers.mockvneid.models import Resident

# The simulator's client registration and tokens are its own business (made by setup.py, short-lived): the portal's
# admin shows its population register only.
for _model in (
    get_application_model(),
    get_access_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_refresh_token_model(),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["national_id", "full_name", "birthdate", "phone"]
    search_fields = ["national_id", "full_name", "phone"]
