"""Dossiers in any status, built through the real services so their history is valid."""

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dossiers import workflow
from dossiers.constants import Actor
from dossiers.models import Attachment, Dossier
from dossiers.queue_counts import queue_counts_rebuild
from dossiers.services.drafts import dossier_create_draft
from dossiers.services.review import ActionInput, dossier_act
from dossiers.services.submission import dossier_submit
from portal.accounts.constants import Role
from tests import factories
from tests.dossiers.files import pdf_bytes

PDF_BYTES = pdf_bytes()

PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "processing": ["submit", "receive"],
    "supplement_requested": ["submit", "receive", "request_supplement"],
    "awaiting_approval": ["submit", "receive", "assign", "forward"],
    "result_ready": ["submit", "receive", "assign", "forward", "approve"],
    "completed": ["submit", "receive", "assign", "forward", "approve", "hand_over"],
    "rejected": ["submit", "reject"],
}


class Staff:
    """One official per counter role at an agency."""

    def __init__(self, agency):
        self.agency = agency
        self.receiver = factories.make_official(role=Role.RECEIVER, agency=agency)
        self.processor = factories.make_official(role=Role.PROCESSOR, agency=agency)
        self.approver = factories.make_official(role=Role.APPROVER, agency=agency)

    def who(self, action):
        """The official who takes an action: the first counter role the workflow table allows for it."""
        allowed = set().union(*(row.actors for row in workflow.transitions_for(action)))
        role = next(role for role in (Actor.RECEIVER, Actor.PROCESSOR, Actor.APPROVER) if role in allowed)
        return getattr(self, role)

    def inputs_for(self, action) -> ActionInput:
        """What the action's row requires, filled with test values."""
        needs = set().union(*(row.requires for row in workflow.transitions_for(action)))
        return ActionInput(
            reason="Lý do thử nghiệm" if "reason" in needs else "",
            assignee_id=self.processor.pk if "assignee" in needs else None,
            result_file=ContentFile(PDF_BYTES, name="ket-qua.pdf") if "file" in needs else None,
        )


def attach(dossier: Dossier, key: str, *, user=None, digitised: bool | None = None) -> Attachment:
    """A file as attachment_add keeps it (without the upload checks): the applicant's is digitised."""
    document = dossier.procedure.required_documents.get(key=key)
    user = user or dossier.applicant
    digitised = user.pk == dossier.applicant_id if digitised is None else digitised
    attachment = Attachment(
        dossier=dossier,
        document=document,
        original_name=f"{key}.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=user,
        digitised_at=timezone.now() if digitised else None,
        digitised_by=user if digitised else None,
    )
    attachment.file.save(f"{key}.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    return attachment


def make_dossier(status: str = "draft", *, procedure=None, applicant=None, staff=None, delivery_method="counter"):
    procedure = procedure or factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    agency = procedure.agencies.first()
    applicant = applicant or factories.CitizenFactory()
    staff = staff or Staff(agency)
    with transaction.atomic():
        dossier = dossier_create_draft(
            applicant=applicant,
            procedure_code=procedure.code,
            agency_code=agency.code,
            form_data={"ly_do": "Cần giấy tờ để bổ sung hồ sơ xin việc"},
            delivery_method=delivery_method,
            delivery_address={"province": "Hải Phòng", "commune": "Phường Trần Hưng Đạo", "street": "1 Quang Trung"},
        )
        for doc in procedure.required_documents.filter(mandatory=True):
            attach(dossier, doc.key)
    for action in PATHS[status]:
        if action == "submit":
            dossier_submit(dossier_id=dossier.pk, user=applicant)
            continue
        dossier_act(dossier_id=dossier.pk, user=staff.who(action), action=action, data=staff.inputs_for(action))
    dossier.refresh_from_db()
    dossier.staff = staff
    return dossier


def receive(dossier: Dossier) -> Dossier:
    """The counter receives a submitted dossier made by make_dossier (the move that texts the appointment)."""
    staff = dossier.staff
    return dossier_act(
        dossier_id=dossier.pk, user=staff.who("receive"), action="receive", data=staff.inputs_for("receive")
    )


def copy_dossiers(template: Dossier, count: int, *, vary=None, **values) -> list[Dossier]:
    """`count` copies of a dossier built through the services, in one INSERT (for lists of many rows),
    each with its own code; `values` are set on every copy, and `vary(copy)` may change each one.
    The queues' kept counts are rebuilt."""
    fields = [f.attname for f in Dossier._meta.concrete_fields if f.attname not in {"id", "public_id", "code"}]
    copies = [
        Dossier(
            **{
                **{name: getattr(template, name) for name in fields},
                "code": f"{template.code or template.agency.code}-C{n:05d}-{uuid.uuid4().hex[:6]}",
                **values,
            }
        )
        for n in range(count)
    ]
    for copy in copies if vary else ():
        vary(copy)
    created = Dossier.objects.bulk_create(copies)
    queue_counts_rebuild()
    return created
