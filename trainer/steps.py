"""Each step of a demo story, taken through the portal's own services by the person who would take it,
and written down (what, who, the status it left the dossier in) for the console and the walkthrough."""

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers import rules, workflow
from dossiers.constants import Actor, IntakeChannel
from dossiers.models import Dossier
from dossiers.services.attachments import attachment_add
from dossiers.services.counter import dossier_register_at_counter
from dossiers.services.drafts import dossier_create_draft
from dossiers.services.rating import dossier_rate
from dossiers.services.review import ActionInput, dossier_act
from dossiers.services.submission import dossier_submit
from figures.history.catalog import fill_form, form_template
from figures.history.params import seeded
from payments.models import Payment
from payments.providers.mockpay import simulator as bank
from payments.services import payment_start
from postal.models import Shipment
from postal.providers.mockpost import simulator as post
from procedures.constants import DeliveryMethod
from trainer.background import deliver_notices, run_pending_work
from trainer.cast import Cast, paper_pdf, paper_png

# A delivery address the 2025 administrative units accept (procedures/addresses.py).
DEMO_ADDRESS = {"province": "Hải Phòng", "commune": "Phường Trần Hưng Đạo", "street": "12 Quang Trung"}
DEMO_REASONS = {
    "reject": "Hồ sơ nộp nhầm cơ quan, đề nghị nộp tại cơ quan có thẩm quyền.",
    "request_supplement": "Bản chụp giấy tờ tùy thân bị mờ, đề nghị tải lên bản rõ nét.",
    "refuse": "Người yêu cầu không đủ điều kiện theo quy định.",
    "return": "Cần kiểm tra lại thông tin trên tờ khai.",
    "withdraw": "Tôi nộp nhầm thủ tục.",
    "issue_apology": "Cơ quan cần thêm thời gian xác minh thông tin.",
}


class StoryError(RuntimeError):
    """A step did not leave the dossier where the story needs it."""


@dataclass(frozen=True)
class Step:
    title: str
    who: str
    status: str
    status_label: str
    code: str


@dataclass
class Story:
    """The steps taken so far; `echo` (e.g. a command's writer) hears each one as it is taken."""

    steps: list[Step] = field(default_factory=list)
    echo: object = None

    def record(self, dossier: Dossier, title: str, who) -> None:
        dossier.refresh_from_db()
        name = who if isinstance(who, str) else f"{who.full_name} ({who.phone})"
        step = Step(str(title), name, dossier.status, str(dossier.get_status_display()), dossier.code)
        self.steps.append(step)
        if self.echo:
            self.echo(step)


SYSTEM = "Hệ thống"


def _form_for(procedure, applicant, seed: int) -> dict:
    template = form_template(procedure, rng=seeded(seed, "form"), sample=applicant)
    if template is None:
        raise StoryError(f"no valid e-form answers for {procedure.code}")
    return fill_form(template, procedure, applicant)


def paper_for(document) -> SimpleUploadedFile:
    """A scan of the paper in a type the document accepts."""
    if "pdf" in (document.accepted_types or ["pdf"]):
        return SimpleUploadedFile(f"{document.key}.pdf", paper_pdf(), content_type="application/pdf")
    return SimpleUploadedFile(f"{document.key}.png", paper_png(), content_type="image/png")


def draft(story: Story, *, applicant, procedure, agency, postal: bool = False, seed: int = 1) -> Dossier:
    """The applicant fills the e-form and attaches every mandatory paper."""
    dossier = dossier_create_draft(
        applicant=applicant,
        procedure_code=procedure.code,
        agency_code=agency.code,
        form_data=_form_for(procedure, applicant, seed),
        delivery_method=DeliveryMethod.POSTAL if postal else DeliveryMethod.COUNTER,
        delivery_address=DEMO_ADDRESS if postal else None,
    )
    for document in procedure.required_documents.filter(mandatory=True).order_by("key"):
        attachment_add(dossier=dossier, user=applicant, document_key=document.key, uploaded_file=paper_for(document))
    story.record(dossier, "Lập hồ sơ trực tuyến, đính kèm giấy tờ", applicant)
    return dossier


def submit(story: Story, dossier: Dossier) -> Dossier:
    dossier = dossier_submit(dossier_id=dossier.pk, user=dossier.applicant)
    story.record(dossier, "Nộp hồ sơ", dossier.applicant)
    return dossier


def pay_online(story: Story, dossier: Dossier) -> Payment:
    """The applicant pays at the gateway; its signed notice confirms the payment."""
    payment = payment_start(dossier_id=dossier.pk, user=dossier.applicant)
    story.record(dossier, "Mở phiên thanh toán tại cổng thanh toán", dossier.applicant)
    bank.gateway_complete(ref=payment.provider_ref, outcome="succeeded", method="card")
    deliver_notices()
    story.record(dossier, "Thanh toán thành công, cổng thanh toán báo về", SYSTEM)
    return payment


def _inputs(action: str, cast: Cast, dossier: Dossier, **given) -> ActionInput:
    needs = set().union(*(row.requires for row in workflow.transitions_for(action)))
    values = {}
    if "reason" in needs:
        values["reason"] = given.get("reason") or DEMO_REASONS.get(action, "Theo quy định.")
    if "assignee" in needs:
        values["assignee_id"] = cast.processor.pk
    if "file" in needs:
        values["result_file"] = ContentFile(paper_pdf(), name="ket-qua.pdf")
    if "amount" in needs:
        values["amount"] = rules.fee_outstanding(dossier)
    if "new_due_at" in needs:
        values["new_due_at"] = given["new_due_at"]
    return ActionInput(**values)


def official_for(action: str, cast: Cast):
    """The first counter role the workflow table lets take the action, played by the cast."""
    allowed = set().union(*(row.actors for row in workflow.transitions_for(action)))
    role = next(r for r in (Actor.RECEIVER, Actor.PROCESSOR, Actor.APPROVER) if r in allowed)
    return cast.official(role)


def act(story: Story, dossier: Dossier, cast: Cast, action: str, **given) -> Dossier:
    """An official takes a workflow action, with the inputs its row requires."""
    user = official_for(action, cast)
    dossier = dossier_act(dossier_id=dossier.pk, user=user, action=action, data=_inputs(action, cast, dossier, **given))
    run_pending_work()
    label = workflow.transitions_for(action)[0].label
    story.record(dossier, label, user)
    return dossier


def applicant_act(story: Story, dossier: Dossier, action: str) -> Dossier:
    data = ActionInput(reason=DEMO_REASONS.get(action, ""))
    dossier = dossier_act(dossier_id=dossier.pk, user=dossier.applicant, action=action, data=data)
    run_pending_work()
    story.record(dossier, workflow.transitions_for(action)[0].label, dossier.applicant)
    return dossier


def supplement(story: Story, dossier: Dossier) -> Dossier:
    """The applicant uploads a clearer copy of a paper and sends the dossier back."""
    document = dossier.procedure.required_documents.order_by("-mandatory", "key").first()
    attachment_add(
        dossier=dossier, user=dossier.applicant, document_key=document.key, uploaded_file=paper_for(document)
    )
    return applicant_act(story, dossier, "supplement")


def rate(story: Story, dossier: Dossier, score: int = 5) -> None:
    dossier_rate(dossier_id=dossier.pk, user=dossier.applicant, score=score, comment="Cán bộ hướng dẫn tận tình.")
    story.record(dossier, f"Đánh giá mức độ hài lòng: {score}/5", dossier.applicant)


def counter_intake(story: Story, *, cast: Cast, procedure, person, note: str, seed: int = 1) -> Dossier:
    """The receiver registers a paper dossier brought to the counter, on the applicant's behalf."""
    dossier = dossier_register_at_counter(
        official=cast.receiver,
        procedure_code=procedure.code,
        agency_code=cast.agency.code,
        channel=IntakeChannel.COUNTER,
        applicant_full_name=person.full_name,
        applicant_national_id=person.national_id,
        applicant_phone=person.phone,
        form_data=_form_for(procedure, person, seed),
        on_behalf_note=note,
    )
    story.record(dossier, "Tiếp nhận hồ sơ giấy tại bộ phận một cửa", cast.receiver)
    return dossier


def courier_step(story: Story, dossier: Dossier, *, fail: bool = False) -> Shipment:
    """The post office moves the result's parcel one step (or fails the delivery) and reports it."""
    shipment = Shipment.objects.filter(dossier=dossier).order_by("-id").first()
    parcel = post.parcel_step(tracking_number=shipment.tracking_number, fail=fail)
    deliver_notices()
    shipment.refresh_from_db()
    story.record(dossier, f"Bưu điện: {parcel.get_status_display()} ({shipment.tracking_number})", SYSTEM)
    return shipment


def courier_until(story: Story, dossier: Dossier, *, statuses: frozenset, fail_at: str | None = None) -> Shipment:
    """Parcel steps until the dossier reaches one of `statuses`; fail the delivery when it is at `fail_at`."""
    for _attempt in range(8):
        dossier.refresh_from_db()
        if dossier.status in statuses:
            return Shipment.objects.filter(dossier=dossier).order_by("-id").first()
        shipment = Shipment.objects.filter(dossier=dossier).order_by("-id").first()
        courier_step(story, dossier, fail=fail_at is not None and shipment.status == fail_at)
    raise StoryError(f"{dossier.code}: the parcel did not bring the dossier to {sorted(statuses)}")


def expect(dossier: Dossier, status: str) -> Dossier:
    dossier.refresh_from_db()
    if dossier.status != status:
        raise StoryError(f"{dossier.code} is {dossier.status}, expected {status}")
    return dossier
