"""The rows a generated dossier becomes, column by column, in the order the loaders write them.

The column lists must name every column of the models: a field added to one of them stops the
generator (and its tests) until it is given a value here, instead of silently left to its default.
"""

from dossiers.models import Attachment, Dossier, DossierEvent, Rating
from figures.history.replay import DossierState, WorkflowMismatch
from payments.models import Payment, PaymentEvent

DOSSIER_COLUMNS = (
    "id",
    "public_id",
    "code",
    "procedure_id",
    "agency_id",
    "applicant_id",
    "registered_by_id",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "on_behalf_note",
    "channel",
    "status",
    "form_data",
    "delivery_method",
    "delivery_address",
    "assignee_id",
    "amount_due",
    "amount_paid",
    "created_at",
    "updated_at",
    "submitted_at",
    "received_at",
    "due_at",
    "clock_paused_at",
    "completed_at",
    "overdue_flagged_at",
    "result_file",
)
EVENT_COLUMNS = (
    "dossier_id",
    "action",
    "from_status",
    "to_status",
    "actor_id",
    "actor_role",
    "public_note",
    "internal_note",
    "is_public",
    "data",
    "created_at",
)
PAYMENT_COLUMNS = (
    "id",
    "public_id",
    "dossier_id",
    "payer_id",
    "amount",
    "breakdown",
    "status",
    "method",
    "provider",
    "provider_ref",
    "pay_url",
    "refund_ref",
    "idempotency_key",
    "receipt_number",
    "expires_at",
    "paid_at",
    "refund_requested_at",
    "refund_asked_at",
    "refunded_at",
    "refund_attempts",
    "last_error",
    "created_at",
    "updated_at",
)
PAYMENT_EVENT_COLUMNS = (
    "payment_id",
    "event_key",
    "source",
    "from_status",
    "to_status",
    "applied",
    "data",
    "created_at",
)
RATING_COLUMNS = ("dossier_id", "score", "comment", "created_at")
ATTACHMENT_COLUMNS = (
    "id", "dossier_id", "document_id", "file", "original_name", "content_type", "size", "sha256", "thumbnail",
    "uploaded_by_id", "created_at", "superseded_at", "reused_from_id", "digitised_at", "digitised_by_id",
    "other_key", "other_name",
)  # fmt: skip

TABLES = (
    (Dossier, DOSSIER_COLUMNS),
    (DossierEvent, EVENT_COLUMNS),
    (Payment, PAYMENT_COLUMNS),
    (PaymentEvent, PAYMENT_EVENT_COLUMNS),
    (Rating, RATING_COLUMNS),
    (Attachment, ATTACHMENT_COLUMNS),
)


def check_columns() -> None:
    for model, columns in TABLES:
        have = {f.attname for f in model._meta.concrete_fields}
        missing = have - {"id", *columns}
        unknown = set(columns) - have
        if missing or unknown:
            raise WorkflowMismatch(
                f"{model.__name__} has columns the generator does not fill ({sorted(missing)}) "
                f"or no longer has ({sorted(unknown)}): update figures/history/rows.py"
            )


def dossier_row(d: DossierState, *, dossier_id: int, agency_id: int) -> tuple:
    a = d.applicant
    return (
        dossier_id,
        d.public_id,
        d.code,
        d.procedure.pk,
        agency_id,
        a.id,
        d.registered_by_id,
        a.full_name,
        a.national_id,
        a.phone,
        d.on_behalf_note,
        d.channel,
        d.status,
        d.form_data,
        d.delivery_method,
        {},
        d.assignee_id,
        d.amount_due,
        d.amount_paid,
        d.created_at,
        d.updated_at,
        d.submitted_at,
        d.received_at,
        d.due_at,
        d.clock_paused_at,
        d.completed_at,
        d.overdue_flagged_at,
        d.result_file,
    )


def event_rows(d: DossierState, *, dossier_id: int) -> list[tuple]:
    return [(dossier_id, *event) for event in d.events]


def attachment_rows(d: DossierState, *, dossier_id: int, paper) -> list[tuple]:
    """A PDF of the paper's name, stored once and shared (`paper`), as the upload checks would have kept it;
    uploaded, never taken from the document store. The applicant sent it online, so it is digitised as it arrives."""
    return [
        (a.data["attachment"], dossier_id, a.document_id, paper.name, f"{a.document_key}.pdf", "application/pdf",
         paper.size, paper.sha256, "", a.uploaded_by_id, a.created_at, a.superseded_at, None, a.created_at,
         a.uploaded_by_id, "", "")
        for a in d.attachments
    ]  # fmt: skip


def payment_rows(d: DossierState, *, dossier_id: int, payment_ids: list[int]) -> tuple[list[tuple], list[tuple]]:
    payments, events = [], []
    for p, payment_id in zip(d.payments, payment_ids, strict=True):
        payments.append(
            (
                payment_id,
                p.public_id,
                dossier_id,
                p.payer_id,
                p.amount,
                p.breakdown,
                p.status,
                p.method,
                p.provider,
                p.provider_ref,
                p.pay_url,
                p.refund_ref,
                p.idempotency_key,
                p.receipt_number,
                p.expires_at,
                p.paid_at,
                p.refund_requested_at,
                p.refund_asked_at,
                p.refunded_at,
                p.refund_attempts,
                p.last_error,
                p.created_at,
                p.updated_at,
            )
        )
        events += [
            (payment_id, e.event_key, e.source, e.from_status, e.to_status, e.applied, e.data, e.created_at)
            for e in p.events
        ]
    return payments, events


def rating_row(d: DossierState, *, dossier_id: int) -> tuple | None:
    if d.rating is None:
        return None
    score, comment, created_at = d.rating
    return (dossier_id, score, comment, created_at)
