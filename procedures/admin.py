import hashlib

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from procedures.form_schema import check_schema
from procedures.models import Agency, CalendarOverride, DiscountPolicy, Field, FormTemplate, Procedure, RequiredDocument


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "gov_level", "parent", "is_active"]
    list_filter = ["gov_level", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"code": ["name"]}


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["position", "key", "name", "mandatory", "accepted_types"]


class ProcedureAdminForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "gov_level",
            "online_level",
            "agencies",
            "is_active",
            "processing_days",
            "fee",
            "charge",
            "online_discount_percent",
            "fee_note",
            "form_schema",
            "delivery_methods",
            "result_name",
            "legal_basis",
            "description",
        ]

    def clean_form_schema(self):
        schema = self.cleaned_data["form_schema"]
        try:
            check_schema(schema)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return schema


class FormTemplateForm(forms.ModelForm):
    """A blank form uploaded by an admin: a PDF (it is served as one), named after the uploaded file."""

    class Meta:
        model = FormTemplate
        fields = ["name", "file", "position"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and "file" in self.changed_data:
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-":
                raise forms.ValidationError(_("Biểu mẫu phải là tệp PDF."))
            name = upload.name.rsplit("/", 1)[-1][:255]
            taken = FormTemplate.objects.filter(procedure_id=self.instance.procedure_id, file_name=name)
            if taken.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(_("Thủ tục đã có biểu mẫu với tên tệp này."))
        return upload

    def save(self, commit=True):
        template = super().save(commit=False)
        if "file" in self.changed_data:
            upload = self.cleaned_data["file"]
            template.file_name = upload.name.rsplit("/", 1)[-1][:255]
            template.sha256 = hashlib.sha256(upload.read()).hexdigest()
            upload.seek(0)
        if commit:
            template.save()
        return template


class FormTemplateInline(admin.TabularInline):
    model = FormTemplate
    form = FormTemplateForm
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureAdminForm
    list_display = ["code", "name", "field", "gov_level", "online_level", "processing_days", "is_active"]
    list_filter = ["online_level", "gov_level", "field", "is_active"]
    search_fields = ["code", "name", "search_text"]
    list_select_related = ["field"]
    filter_horizontal = ["agencies"]
    inlines = [RequiredDocumentInline, FormTemplateInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "field", "gov_level", "online_level", "agencies", "is_active"]}),
        (
            _("Phí, lệ phí và thời hạn"),
            {"fields": ["processing_days", "fee", "charge", "online_discount_percent", "fee_note"]},
        ),
        (_("Hồ sơ và kết quả"), {"fields": ["form_schema", "delivery_methods", "result_name"]}),
        (_("Thông tin thêm"), {"fields": ["legal_basis", "description"]}),
    ]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(DiscountPolicy)
class DiscountPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "percent", "procedure", "online_only", "valid_from", "valid_to", "is_active"]
    list_filter = ["is_active", "online_only"]
    autocomplete_fields = ["procedure"]
    search_fields = ["name"]
