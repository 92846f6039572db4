from django.contrib import admin

from payments.providers.mockpay.models import GatewayTransaction


@admin.register(GatewayTransaction)
class GatewayTransactionAdmin(admin.ModelAdmin):
    list_display = ["ref", "merchant_payment_id", "amount", "status", "refund_status", "created_at"]
    list_filter = ["status", "refund_status"]
    search_fields = ["ref", "merchant_payment_id"]
