from django.contrib import admin

from portal.notifications.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]
    search_fields = ["recipient", "body"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]

    def has_add_permission(self, request):
        return False
