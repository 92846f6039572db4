"""A generated dossier against the same story told to the real services.

Each generated dossier's events are replayed, at the same moments (time-machine), through the services
a citizen, an official, the gateway simulator and the sweeps would have called; the two dossiers, their
events and payments must then be the same, but for what a second run necessarily numbers differently
(code, receipt number, ids, the gateway's references, the stored file names).
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.services.attachments import attachment_add
from dossiers.services.counter import dossier_register_at_counter
from dossiers.services.drafts import dossier_create_draft
from dossiers.services.overdue import dossiers_flag_overdue
from dossiers.services.rating import dossier_rate
from dossiers.services.review import ActionInput, dossier_act
from dossiers.services.submission import dossier_submit
from payments.constants import PaymentStatus
from payments.providers.mockpay import simulator
from payments.services import payment_start
from payments.services.sweeps import dossier_expire_payment
from portal.accounts.models import User
from procedures.constants import OnlineLevel
from tests.dossiers.files import pdf_bytes
from tests.figures.test_history import generate, make_agency

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()
TOLERANCE = timedelta(milliseconds=10)


class RealReplay:
    def __init__(self, generated: Dossier, capture):
        self.generated, self.capture = generated, capture
        self.users = {u.pk: u for u in User.objects.all()}
        self.applicant = generated.applicant
        self.payments = list(generated.payments.order_by("created_at"))
        self.dossier = None

    def at(self, moment):
        return time_machine.travel(moment, tick=False)

    def draft(self):
        g = self.generated
        with self.at(g.created_at):
            self.dossier = dossier_create_draft(
                applicant=self.applicant,
                procedure_code=g.procedure.code,
                agency_code=g.agency.code,
                form_data=g.form_data,
                delivery_method=g.delivery_method,
            )

    def run(self) -> Dossier:
        g = self.generated
        steps = [(e.created_at, 0, e) for e in g.events.order_by("created_at", "id")]
        if g.overdue_flagged_at:
            steps.append((g.overdue_flagged_at, 1, "flag"))
        if hasattr(g, "rating"):
            steps.append((g.rating.created_at, 1, "rate"))
        for moment, _order, step in sorted(steps, key=lambda s: (s[0], s[1])):
            with self.at(moment), self.capture(execute=True):
                self.take(step)
        self.dossier.refresh_from_db()
        return self.dossier

    def take(self, step):
        g = self.generated
        if step == "flag":
            assert dossiers_flag_overdue() >= 1
            return
        if step == "rate":
            dossier_rate(
                dossier_id=self.dossier.pk, user=self.applicant, score=g.rating.score, comment=g.rating.comment
            )
            return
        event, actor = step, self.users.get(step.actor_id)
        if event.action == "attach":
            if self.dossier is None:
                self.draft()
            self.dossier.refresh_from_db()
            paper = g.attachments.get(pk=event.data["attachment"])
            with paper.file.open("rb") as handle:  # the paper the generator stored, uploaded for real
                content = handle.read()
            upload = SimpleUploadedFile(paper.original_name, content, content_type="application/pdf")
            attachment_add(dossier=self.dossier, user=actor, document_key=event.data["document"], uploaded_file=upload)
        elif event.action == "submit":
            if self.dossier is None:
                self.draft()
            dossier_submit(dossier_id=self.dossier.pk, user=self.applicant)
        elif event.action == "register_at_counter":
            self.dossier = dossier_register_at_counter(
                official=actor,
                procedure_code=g.procedure.code,
                agency_code=g.agency.code,
                channel=g.channel,
                applicant_full_name=g.applicant_name,
                applicant_national_id=g.applicant_id_number,
                applicant_phone=g.applicant_phone,
                form_data=g.form_data,
                delivery_method=g.delivery_method,
                on_behalf_note=g.on_behalf_note,
            )
        elif event.action == "confirm_payment":
            payment = self._start_payment()
            simulator.gateway_complete(ref=payment.provider_ref, outcome="succeeded", method="qr")
        elif event.action == "expire_payment":
            if self.payments:
                self._start_payment()
            assert dossier_expire_payment(dossier_id=self.dossier.pk)
        else:
            data = ActionInput(
                reason=event.public_note or event.internal_note,
                assignee_id=event.data.get("assignee"),
                amount=event.data.get("amount"),
                result_file=ContentFile(PDF, name="ket-qua.pdf") if event.action == "approve" else None,
            )
            dossier_act(dossier_id=self.dossier.pk, user=actor, action=event.action, data=data)

    def _start_payment(self):
        with self.at(self.payments[0].created_at):
            return payment_start(dossier_id=self.dossier.pk, user=self.applicant)


def _close(a, b):
    if a is None or b is None:
        return a is b
    return abs(a - b) <= TOLERANCE


SAME_FIELDS = (
    "status", "channel", "delivery_method", "amount_due", "amount_paid", "assignee_id", "registered_by_id",
    "applicant_id", "applicant_name", "applicant_id_number", "applicant_phone", "on_behalf_note", "form_data",
    "received_at", "due_at", "clock_paused_at", "completed_at", "overdue_flagged_at",
)  # fmt: skip


def _events(dossier):
    rows = []
    for e in dossier.events.order_by("created_at", "id"):
        # Ids differ, and generated results are not signed (they share one sample PDF).
        data = {k: v for k, v in e.data.items() if k not in {"attachment", "e_result"}}
        public = "BL…" if e.action == "confirm_payment" else e.public_note
        rows.append((e.action, e.from_status, e.to_status, e.actor_id, e.actor_role, public, e.internal_note,
                     e.is_public, data))  # fmt: skip
    return rows


def _payments(dossier):
    return [
        (p.status, p.amount, p.breakdown, p.provider, bool(p.receipt_number), p.refund_attempts,
         [(pe.source, pe.from_status, pe.to_status, (pe.event_key or "").split(":")[0], sorted(pe.data))
          for pe in p.events.order_by("created_at", "id")])
        for p in dossier.payments.order_by("created_at")
    ]  # fmt: skip


def assert_same(generated: Dossier, real: Dossier) -> None:
    for name in SAME_FIELDS:
        assert getattr(real, name) == getattr(generated, name), name
    assert _close(real.submitted_at, generated.submitted_at)
    assert bool(real.result_file) == bool(generated.result_file)
    assert _events(real) == _events(generated)
    real_times = [e.created_at for e in real.events.order_by("created_at", "id")]
    generated_times = [e.created_at for e in generated.events.order_by("created_at", "id")]
    assert all(_close(r, g) for r, g in zip(real_times, generated_times, strict=True))
    assert _payments(real) == _payments(generated)
    expiries = zip(real.payments.order_by("created_at"), generated.payments.order_by("created_at"), strict=True)
    assert all(_close(r.expires_at, g.expires_at) for r, g in expiries)
    if hasattr(generated, "rating"):
        assert (real.rating.score, real.rating.comment) == (generated.rating.score, generated.rating.comment)


def _pick(queryset, **filters):
    found = queryset.filter(**filters).order_by("code").first()
    assert found is not None, f"no generated dossier with {filters}"
    return found


@pytest.fixture
def history():
    agency = make_agency()
    generate(
        agency, dossiers=1200, online=750, ratio=0.85
    )  # rare paths (a supplement before receipt) included whatever the catalog order
    return Dossier.objects.filter(agency=agency).select_related("procedure", "agency", "applicant")


@pytest.fixture
def paid_history():
    """Online dossiers of a level-4 procedure with a fee only: every one that is rejected had paid."""
    agency = make_agency(procedures=[{"online_level": OnlineLevel.LEVEL_4, "processing_days": 2, "charge": 30_000}])
    generate(agency, dossiers=150, online=150, seed=3)
    return Dossier.objects.filter(agency=agency).select_related("procedure", "agency", "applicant")


@pytest.mark.parametrize(
    "kind",
    [
        "online paid, a supplement while processing",
        "online, supplement before receipt",
        "counter, fee paid at the counter, rated",
        "counter, a paper added for a supplement",
        "rejected at reception after paying: refunded",
        "left unpaid: expired",
        "late, flagged by the overdue sweep",
        "refused after approval was asked",
    ],
)
def test_generated_dossier_is_what_the_services_write(request, kind, django_capture_on_commit_callbacks):
    paid = kind.startswith("rejected")
    history = request.getfixturevalue("paid_history" if paid else "history")
    completed = history.filter(status=DossierStatus.COMPLETED)
    generated = {
        "online paid, a supplement while processing": lambda: _pick(
            history.filter(events__action="confirm_payment").filter(
                events__action="request_supplement", events__from_status=DossierStatus.PROCESSING
            )
        ),
        "online, supplement before receipt": lambda: _pick(
            history, events__action="request_supplement", events__from_status=DossierStatus.SUBMITTED
        ),
        "counter, fee paid at the counter, rated": lambda: _pick(
            completed.filter(channel="counter", rating__isnull=False), events__action="record_counter_payment"
        ),
        "counter, a paper added for a supplement": lambda: _pick(history, channel="counter", events__action="attach"),
        "rejected at reception after paying: refunded": lambda: _pick(
            history, status=DossierStatus.REJECTED, payments__status=PaymentStatus.REFUNDED
        ),
        "left unpaid: expired": lambda: _pick(history, events__action="expire_payment"),
        "late, flagged by the overdue sweep": lambda: _pick(
            completed.exclude(overdue_flagged_at=None).exclude(events__action="request_supplement")
        ),
        "refused after approval was asked": lambda: _pick(history, status=DossierStatus.REFUSED),
    }[kind]()
    real = RealReplay(generated, django_capture_on_commit_callbacks).run()
    assert real.pk != generated.pk
    assert_same(generated, real)
