"""Output serializers of the public catalog API."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from procedures.constants import ONLINE_LEVEL_SHORT_NAMES, ONLINE_SERVICE_KINDS
from procedures.models import Agency, Field, FormTemplate, Procedure, RequiredDocument


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["code", "name"]


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name"]


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Mã cơ quan cấp trên; null với cơ quan cấp cao nhất",
    )
    gov_level_label = serializers.CharField(source="get_gov_level_display", read_only=True)

    class Meta:
        model = Agency
        fields = ["code", "name", "gov_level", "gov_level_label", "parent", "address", "phone"]


class RequiredDocumentSerializer(serializers.ModelSerializer):
    accepted_types = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = RequiredDocument
        fields = ["key", "name", "mandatory", "accepted_types"]


class ProcedureListSerializer(serializers.ModelSerializer):
    online_level_label = serializers.CharField(source="get_online_level_display", read_only=True)
    online_level_name = serializers.SerializerMethodField(help_text="Tên ngắn: Mức độ 2/3/4")
    online_service_kind = serializers.SerializerMethodField(
        help_text="Tên theo Nghị định 42/2022: toàn trình, một phần, cung cấp thông tin"
    )
    gov_level_label = serializers.CharField(source="get_gov_level_display", read_only=True)
    field = FieldSerializer(read_only=True)
    agencies = AgencyRefSerializer(many=True, read_only=True)
    total_fee = serializers.IntegerField(read_only=True, help_text="Phí + lệ phí (VND)")
    online_total_fee = serializers.IntegerField(read_only=True, help_text="Số tiền khi nộp trực tuyến (VND)")

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "online_level",
            "online_level_label",
            "online_level_name",
            "online_service_kind",
            "gov_level",
            "gov_level_label",
            "field",
            "agencies",
            "processing_days",
            "fee",
            "charge",
            "total_fee",
            "online_discount_percent",
            "online_total_fee",
        ]

    @extend_schema_field(serializers.CharField())
    def get_online_level_name(self, procedure) -> str:
        return str(ONLINE_LEVEL_SHORT_NAMES[procedure.online_level])

    @extend_schema_field(serializers.CharField())
    def get_online_service_kind(self, procedure) -> str:
        return str(ONLINE_SERVICE_KINDS[procedure.online_level])


class FormTemplateSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="the blank form (PDF) to download")

    class Meta:
        model = FormTemplate
        fields = ["name", "url"]

    def get_url(self, template) -> str:
        path = reverse("procedures:form-template", args=[template.procedure.code, template.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ProcedureDetailSerializer(ProcedureListSerializer):
    required_documents = RequiredDocumentSerializer(many=True, read_only=True)
    form_templates = FormTemplateSerializer(many=True, read_only=True)
    form_schema = serializers.JSONField(read_only=True, help_text="Biểu mẫu điện tử (tập con JSON Schema)")
    delivery_methods = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(ProcedureListSerializer.Meta):
        fields = [
            *ProcedureListSerializer.Meta.fields,
            "fee_note",
            "required_documents",
            "form_templates",
            "form_schema",
            "delivery_methods",
            "result_name",
            "legal_basis",
            "description",
        ]
