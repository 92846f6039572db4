"""A read-only view of dossiers for administrators: what happened, to whom, with which papers.

Nothing is changed here: every move of a dossier goes through the workflow (dossiers/workflow.py),
which writes its event, tells the applicant and keeps the queue counts; an admin form would do none of it.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dossiers.models import Attachment, Dossier, DossierEvent


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = readonly_fields = [
        "created_at",
        "action",
        "from_status",
        "to_status",
        "actor",
        "actor_role",
        "public_note",
        "internal_note",
    ]
    ordering = ["created_at", "id"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = readonly_fields = ["paper", "original_name", "content_type", "size", "created_at", "superseded_at"]

    @admin.display(description=_("Giấy tờ"))
    def paper(self, attachment):
        return attachment.paper_name

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["code", "procedure", "agency", "applicant_name", "status", "channel", "submitted_at", "due_at"]
    list_filter = ["status", "channel", "delivery_method"]
    search_fields = ["code", "applicant_name", "applicant_id_number", "applicant_phone"]
    list_select_related = ["procedure", "agency"]
    date_hierarchy = "submitted_at"
    show_full_result_count = False  # the count of a million rows is not worth its seconds
    inlines = [EventInline, AttachmentInline]
    fieldsets = [
        (None, {"fields": ["code", "status", "procedure", "agency", "channel"]}),
        (_("Người nộp"), {"fields": ["applicant", "applicant_name", "applicant_id_number", "applicant_phone"]}),
        (_("Thời hạn"), {"fields": ["submitted_at", "received_at", "due_at", "completed_at"]}),
        (_("Phí, lệ phí"), {"fields": ["amount_due", "amount_paid"]}),
        (_("Nhận kết quả"), {"fields": ["delivery_method", "delivery_address"]}),
        (_("Tờ khai"), {"fields": ["form_data"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
