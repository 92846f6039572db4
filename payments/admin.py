from django.contrib import admin

from payments.models import Payment, PaymentAlert, PaymentEvent


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "source", "from_status", "to_status", "applied", "event_key", "data"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only: payments move through the services and the gateway, never by hand."""

    list_display = ["public_id", "dossier", "amount", "status", "receipt_number", "refund_attempts", "created_at"]
    list_filter = ["status", "provider"]
    search_fields = ["public_id", "provider_ref", "receipt_number", "dossier__code"]
    inlines = [PaymentEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentAlert)
class PaymentAlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "payment", "detail", "resolved_at"]
    list_filter = ["kind", "resolved_at"]
    readonly_fields = ["kind", "payment", "detail", "data", "created_at"]
