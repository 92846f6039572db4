from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dossiers import rules, selectors, workflow
from dossiers.constants import Actor, DossierStatus, IntakeChannel
from dossiers.models import Dossier, DossierEvent
from dossiers.services.eresults import verification_url
from dossiers.supplements import papers_with_files
from portal.api.pagination import CappedPageNumberPagination
from procedures.constants import DeliveryMethod


class DossierCreateInput(serializers.Serializer):
    procedure = serializers.CharField(max_length=64, help_text="Mã thủ tục")
    agency = serializers.CharField(max_length=64, help_text="Mã cơ quan giải quyết")
    form_data = serializers.JSONField(required=False, default=dict)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices, default=DeliveryMethod.COUNTER)
    delivery_address = serializers.JSONField(required=False, default=dict)


class DossierUpdateInput(serializers.Serializer):
    form_data = serializers.JSONField(required=False)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices, required=False)
    delivery_address = serializers.JSONField(required=False)


class CounterDossierInput(DossierCreateInput):
    channel = serializers.ChoiceField(choices=[IntakeChannel.COUNTER, IntakeChannel.POSTAL])
    applicant_full_name = serializers.CharField(max_length=200)
    applicant_national_id = serializers.CharField(max_length=12)
    applicant_phone = serializers.CharField(max_length=20)
    on_behalf_note = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RatingInput(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class ActionInput(serializers.Serializer):
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    assignee = serializers.IntegerField(required=False, allow_null=True, default=None)
    amount = serializers.IntegerField(required=False, allow_null=True, default=None)
    file = serializers.FileField(required=False, allow_null=True, default=None)
    new_due_at = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="issue_apology: ngày hẹn trả mới"
    )
    documents = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        default=list,
        max_length=50,
        help_text="request_supplement: mã các thành phần hồ sơ (required_documents key) cần bổ sung",
    )
    other_documents = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        default=list,
        max_length=5,
        help_text="request_supplement: tên các giấy tờ khác cần bổ sung (ngoài danh mục của thủ tục)",
    )


class NamedCodeOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PublicEventOutput(serializers.ModelSerializer):
    status = serializers.CharField(source="to_status")
    status_label = serializers.CharField(source="get_to_status_display")
    action_label = serializers.SerializerMethodField()
    note = serializers.CharField(source="public_note")
    at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = DossierEvent
        fields = ["action", "action_label", "status", "status_label", "note", "at"]

    def get_action_label(self, event) -> str:
        return workflow.event_label(event)


class InternalEventOutput(PublicEventOutput):
    actor = serializers.CharField(source="actor.full_name", default=None)
    actor_role = serializers.CharField()
    internal_note = serializers.CharField()

    class Meta(PublicEventOutput.Meta):
        fields = [*PublicEventOutput.Meta.fields, "actor", "actor_role", "internal_note"]


class DossierListOutput(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    procedure = NamedCodeOutput()
    agency = NamedCodeOutput()

    class Meta:
        model = Dossier
        fields = [
            "id",
            "code",
            "status",
            "status_label",
            "procedure",
            "agency",
            "channel",
            "delivery_method",
            "created_at",
            "submitted_at",
            "received_at",
            "due_at",
            "amount_due",
            "amount_paid",
        ]


class QueueItemOutput(DossierListOutput):
    applicant_name = serializers.CharField()
    assignee = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    due_soon = serializers.SerializerMethodField()

    class Meta(DossierListOutput.Meta):
        fields = [*DossierListOutput.Meta.fields, "applicant_name", "assignee", "overdue", "due_soon"]

    @extend_schema_field({"type": "object", "nullable": True, "properties": {"id": {"type": "integer"}}})
    def get_assignee(self, dossier):
        if dossier.assignee is None:
            return None
        return {"id": dossier.assignee_id, "full_name": dossier.assignee.full_name}

    def get_overdue(self, dossier) -> bool:
        return selectors.is_overdue(dossier)

    def get_due_soon(self, dossier) -> bool:
        return selectors.is_due_soon(dossier)


class AttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.CharField(source="paper_key", help_text="a required_documents key, or an other paper's key")
    document_name = serializers.CharField(source="paper_name")
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    reused_from = serializers.IntegerField(
        source="reused_from_id", allow_null=True, help_text="Giấy tờ lấy từ kho dữ liệu điện tử (id), không tải lên lại"
    )
    digitised = serializers.BooleanField(source="is_digitised")
    digitised_at = serializers.DateTimeField(allow_null=True)


class EResultOutput(serializers.Serializer):
    signed_by = serializers.CharField(source="agency.code")
    signer_name = serializers.CharField()
    signed_at = serializers.DateTimeField()
    certificate_serial = serializers.CharField()
    sha256 = serializers.CharField()
    verify_url = serializers.SerializerMethodField(help_text="Trang công khai kiểm tra chữ ký số (mã QR trên kết quả)")

    def get_verify_url(self, e_result) -> str:
        return verification_url(e_result.token)


class SupplementPaperOutput(serializers.Serializer):
    key = serializers.CharField(help_text="what to send as `document` when uploading the paper")
    name = serializers.CharField()
    other = serializers.BooleanField(help_text="a paper outside the procedure's list, named by the official")
    sent = serializers.BooleanField(help_text="a file was sent for it since the request")


class DossierDetailOutput(QueueItemOutput):
    events = serializers.SerializerMethodField()
    supplement_papers = serializers.SerializerMethodField()
    attachments = AttachmentOutput(many=True)
    form_data = serializers.JSONField()
    delivery_address = serializers.JSONField()
    available_actions = serializers.SerializerMethodField()
    result_available = serializers.SerializerMethodField()
    e_result = serializers.SerializerMethodField()

    class Meta(QueueItemOutput.Meta):
        fields = [
            *QueueItemOutput.Meta.fields,
            "form_data",
            "delivery_address",
            "completed_at",
            "attachments",
            "events",
            "available_actions",
            "result_available",
            "e_result",
            "supplement_papers",
        ]

    def _roles(self, dossier):
        return self.context["roles"]

    @extend_schema_field(PublicEventOutput(many=True))
    def get_events(self, dossier):
        if self._roles(dossier) - {Actor.APPLICANT}:
            return InternalEventOutput(dossier.events.all(), many=True).data
        return PublicEventOutput([event for event in dossier.events.all() if event.is_public], many=True).data

    @extend_schema_field(SupplementPaperOutput(many=True))
    def get_supplement_papers(self, dossier):
        """The papers the open supplement request names (empty when none is open or none was named)."""
        rows = [{**paper, "sent": attachment is not None} for paper, attachment in papers_with_files(dossier)]
        return SupplementPaperOutput(rows, many=True).data

    def get_available_actions(self, dossier) -> list[str]:
        return [t.action for t in workflow.available_actions(dossier, self._roles(dossier))]

    def get_result_available(self, dossier) -> bool:
        return rules.result_downloadable(dossier, self._roles(dossier))

    @extend_schema_field(EResultOutput(allow_null=True))
    def get_e_result(self, dossier):
        """The signature on the result, once the caller may know there is a result (null before, or unsigned)."""
        officials = self._roles(dossier) - {Actor.APPLICANT}
        if not (officials or rules.result_visible(dossier)):
            return None
        e_result = selectors.e_result_of(dossier)
        return EResultOutput(e_result).data if e_result else None


class LookupOutput(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.name")
    status_label = serializers.CharField(source="get_status_display")
    events = PublicEventOutput(many=True)

    class Meta:
        model = Dossier
        fields = ["code", "procedure", "status", "status_label", "received_at", "due_at", "events"]


def dossier_url(dossier) -> str:
    return reverse("dossiers-api:detail", args=[dossier.pk])


# --- Lean output of list rows: plain functions over values() rows, shaped as the serializers above
# (which document them in the schema; tests keep the two in step). A queue page of ModelSerializers
# spent most of its time in field machinery and translations; these do a dict per row.


def status_labels() -> dict[str, str]:
    """Each status's label in the request's language, translated once per request rather than per row."""
    return {value: str(label) for value, label in DossierStatus.choices}


def _when(value, zone=None):
    """As DRF's DateTimeField writes it (ISO 8601 in the current time zone, UTC as Z), with the zone looked
    up once per page by the caller instead of once per value."""
    if value is None:
        return None
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def list_item(row: dict, *, labels: dict[str, str], zone=None) -> dict:
    zone = zone or timezone.get_current_timezone()
    return {
        "id": row["id"],
        "code": row["code"],
        "status": row["status"],
        "status_label": labels[row["status"]],
        "procedure": {"code": row["procedure__code"], "name": row["procedure__name"]},
        "agency": {"code": row["agency__code"], "name": row["agency__name"]},
        "channel": row["channel"],
        "delivery_method": row["delivery_method"],
        "created_at": _when(row["created_at"], zone),
        "submitted_at": _when(row["submitted_at"], zone),
        "received_at": _when(row["received_at"], zone),
        "due_at": _when(row["due_at"], zone),
        "amount_due": row["amount_due"],
        "amount_paid": row["amount_paid"],
    }


def queue_item(row: dict, *, labels: dict[str, str], now, zone=None) -> dict:
    overdue, due_soon = selectors.deadline_flags(
        status=row["status"], clock_paused_at=row["clock_paused_at"], due_at=row["due_at"], now=now
    )
    assignee = None
    if row["assignee_id"] is not None:
        assignee = {"id": row["assignee_id"], "full_name": row["assignee__full_name"]}
    return {
        **list_item(row, labels=labels, zone=zone),
        "applicant_name": row["applicant_name"],
        "assignee": assignee,
        "overdue": overdue,
        "due_soon": due_soon,
    }


def lookup_body(row: dict, events: list[DossierEvent], *, labels: dict[str, str]) -> dict:
    zone = timezone.get_current_timezone()
    return {
        "code": row["code"],
        "procedure": row["procedure__name"],
        "status": row["status"],
        "status_label": labels[row["status"]],
        "received_at": _when(row["received_at"], zone),
        "due_at": _when(row["due_at"], zone),
        "events": [
            {
                "action": event.action,
                "action_label": workflow.event_label(event),
                "status": event.to_status,
                "status_label": labels.get(event.to_status, event.to_status),
                "note": event.public_note,
                "at": _when(event.created_at, zone),
            }
            for event in events
        ],
    }


class QueuePagination(CappedPageNumberPagination):
    """A queue page also carries every tab's count (`tabs`), read from the open rows only."""

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        tabs = ["new", "processing", "supplement", "approval", "result", "delivery", "overdue"]
        described["properties"]["tabs"] = {
            "type": "object",
            "description": "số hồ sơ của từng tab",
            "properties": {tab: {"type": "integer"} for tab in tabs},
        }
        return described
