"""What happens to one dossier: the choices a year of real dossiers shows, turned into workflow moves.

Times follow the people who act: the applicant online at any hour, the counter in office hours on
working days, the gateway and the sweeps when their schedules run. Whether a dossier finishes on time
is decided first (a quota keeps the share close to the requested ratio) and the finish is placed
before or after the appointment that the workflow itself computed, supplement pauses included.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dossiers import rules
from dossiers.constants import Actor, DossierStatus, IntakeChannel
from figures.history.replay import AttachmentRow, DossierState, PaymentRow, Replay
from payments.constants import NoticeEvent, PaymentMethod, PaymentStatus

S = DossierStatus
A = Actor
MS = timedelta(milliseconds=1)
OPEN_RECEIVED = rules.RECEIVED_OPEN_STATUSES
OVERDUE_SWEEP_SECONDS = 900  # settings: the flag_overdue beat entry
EXPIRY_SWEEP_SECONDS = 300  # settings: the expire_unpaid beat entry


class Fate:
    """How an online dossier's intake ends. Only received dossiers count as received (figures.rollups):
    the others come on top of the N asked for."""

    RECEIVED = "received"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    UNPAID = "unpaid"


@dataclass(frozen=True)
class Shares:
    """How often each path happens (fractions of the dossiers that reach that point; the online fates
    as a share of the online dossiers received)."""

    postal_of_offline: float = 0.06
    rejected_online: float = 0.035
    withdrawn_online: float = 0.008
    unpaid_online: float = 0.012
    supplement_before_receipt: float = 0.02
    one_supplement: float = 0.09
    two_supplements: float = 0.015
    returned_by_approver: float = 0.03
    refused: float = 0.012
    on_behalf: float = 0.03
    rated_online: float = 0.35
    rated_offline: float = 0.12
    result_online: float = 0.65


SHARES = Shares()
REJECT_REASONS = (
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.",
    "Thành phần hồ sơ không đúng quy định.",
    "Tệp đính kèm không đọc được, đề nghị nộp lại hồ sơ.",
    "Hồ sơ trùng với hồ sơ đã nộp trước đó.",
)
SUPPLEMENT_REASONS = (
    "Bổ sung bản chụp giấy tờ tùy thân còn hiệu lực.",
    "Tờ khai thiếu chữ ký của người yêu cầu.",
    "Bổ sung giấy tờ chứng minh nơi cư trú.",
    "Ảnh chụp giấy tờ bị mờ, đề nghị chụp lại.",
)
REFUSE_REASONS = (
    "Không đủ điều kiện giải quyết theo quy định của pháp luật.",
    "Thông tin kê khai không khớp với cơ sở dữ liệu quốc gia về dân cư.",
)
RETURN_REASONS = ("Cần kiểm tra lại thông tin trong dự thảo kết quả.", "Đề nghị xác minh thêm trước khi trình.")
WITHDRAW_REASONS = ("Không còn nhu cầu giải quyết.", "Nộp nhầm thủ tục.")
ON_BEHALF_NOTES = ("Người cao tuổi", "Người khuyết tật", "Nộp thay theo giấy ủy quyền")
# payments/services/sweeps.py: the note of the expiry sweep's move.
EXPIRY_NOTE = "Quá {minutes} phút chưa thanh toán phí, lệ phí."
COMMENTS = {
    5: ("Cán bộ hướng dẫn nhiệt tình, trả kết quả sớm.", "Rất hài lòng."),
    4: ("Thủ tục nhanh gọn.",),
    3: ("Thời gian chờ còn lâu.",),
    2: ("Trả kết quả chậm so với ngày hẹn.",),
    1: ("Trả kết quả chậm, không được báo trước.",),
}
SCORES_ON_TIME = ((5, 4, 3, 2, 1), (60, 26, 9, 3, 2))
SCORES_LATE = ((5, 4, 3, 2, 1), (12, 20, 30, 22, 16))
PAYMENT_METHODS = ((PaymentMethod.QR, PaymentMethod.CARD, PaymentMethod.WALLET), (50, 30, 20))


class Cutoff(Exception):
    """The next move would happen after now: the dossier stays as it is."""


class LateQuota:
    """Decides which finishing dossiers are late so the late share stays within one dossier of 1 − ratio."""

    def __init__(self, rng: random.Random, on_time_ratio: float):
        self.rng, self.share, self.balance = rng, 1 - on_time_ratio, 0.0

    def late(self) -> bool:
        self.balance += self.share
        if self.balance > self.rng.random():
            self.balance -= 1
            return True
        return False


class Story:
    def __init__(self, world, replay: Replay, rng: random.Random, *, on_time_ratio: float, shares=SHARES):
        self.world, self.replay, self.rng, self.shares = world, replay, rng, shares
        self.clock = world.clock
        self.quota = LateQuota(rng, on_time_ratio)

    # --- helpers ---------------------------------------------------------------------------------

    def _act(self, d: DossierState, action: str, at: datetime, *, actor_id, role, **inputs) -> None:
        if not self.replay.act(d, action, at, actor_id=actor_id, role=role, **inputs):
            raise Cutoff

    def _office_later(self, at: datetime, low: float, high: float) -> datetime:
        """An official's next action: between `low` and `high` office minutes later."""
        return self.clock.after(at, self.rng.uniform(low, high))

    def _room(self, at: datetime) -> float:
        """Office minutes left after `at` before the period (or now) ends."""
        return self.world.end_position - self.clock.position(at)

    def _office_later_within(self, at: datetime, low: float, high: float) -> datetime:
        """_office_later, kept inside the period: a received dossier is received in it."""
        high = min(high, self._room(at) - 1)
        return self.clock.after(at, self.rng.uniform(min(low, high / 2), high))

    def _applicant_later(self, d: DossierState, at: datetime, days: float) -> datetime:
        """When the applicant answers: online at a waking hour, otherwise at the counter's hours."""
        later = at + timedelta(days=days)
        if d.channel != IntakeChannel.ONLINE:
            return self.clock.after(later, self.rng.uniform(0, 240))
        local = self.clock.local(later)
        if local.hour < 6:
            later += timedelta(hours=6 - local.hour)
        return later

    def _attach(self, d: DossierState, at: datetime, document) -> None:
        """dossiers.services.attachments: the applicant's paper, stored, with its audit event (not public);
        the paper it replaces is superseded."""
        for attachment in d.attachments:
            if attachment.document_id == document.pk and attachment.superseded_at is None:
                attachment.superseded_at = at
        data = {"attachment": None, "document": document.key, "name": document.name, "sha256": self.world.sample_sha256}
        d.attachments.append(AttachmentRow(document.pk, document.key, d.applicant.id, at, data))
        d.events.append(("attach", d.status, d.status, d.applicant.id, A.APPLICANT.value, "", "", False, data, at))

    def _pick(self, role: str) -> int:
        return self.rng.choice(self.world.officials.ids(role))

    # --- the life of a dossier ---------------------------------------------------------------------

    def live(self, d: DossierState, submitted_at: datetime, fate: str) -> None:
        try:
            received = (
                self._online_intake(d, submitted_at, fate)
                if d.channel == IntakeChannel.ONLINE
                else self._counter_intake(d, submitted_at)
            )
            if received:
                self._processing(d)
                self._rate(d)
        except Cutoff:
            pass
        d.overdue_flagged_at = self._overdue_flag(d)

    def _assign_code_and_fee(self, d: DossierState, at: datetime) -> None:
        """dossiers.services.submission.assign_code_and_fee (the code was taken in submission order)."""
        d.submitted_at = at
        day = self.clock.local(at).date()
        d.amount_due = self.world.fees.breakdown(procedure=d.procedure, channel=d.channel, day=day).total

    def _draft(self, d: DossierState, at: datetime) -> None:
        """The applicant's draft: created a while before it is sent, every mandatory paper attached."""
        d.created_at = at - timedelta(minutes=self.rng.uniform(3, 180))
        papers = self.world.mandatory_documents(d.procedure)
        for n, document in enumerate(papers, start=1):
            self._attach(d, d.created_at + (at - d.created_at) * n / (len(papers) + 1), document)

    def _online_intake(self, d: DossierState, at: datetime, fate: str) -> bool:
        rng, shares = self.rng, self.shares
        self._draft(d, at)
        self._assign_code_and_fee(d, at)
        t = at + rng.randint(1, 5) * MS
        self._act(d, "submit", t, actor_id=d.applicant.id, role=A.APPLICANT)
        if d.status == S.AWAITING_PAYMENT:
            if fate == Fate.UNPAID:
                self._payment_abandoned(d, t)
                return False
            t = self._pay_online(d, t)
        if fate == Fate.REJECTED:
            t = self._office_later(t, 10, 1.2 * self.clock.day_minutes)
            self._act(
                d, "reject", t, actor_id=self._pick(A.RECEIVER), role=A.RECEIVER, reason=rng.choice(REJECT_REASONS)
            )
            return False
        if fate != Fate.RECEIVED:  # withdrawn, or meant to go unpaid but nothing was owed after all
            t += timedelta(minutes=rng.uniform(30, 3 * 24 * 60))
            self._act(d, "withdraw", t, actor_id=d.applicant.id, role=A.APPLICANT, reason=rng.choice(WITHDRAW_REASONS))
            return False
        if rng.random() < shares.supplement_before_receipt and self._room(t) > 3 * self.clock.day_minutes:
            t = self._office_later_within(t, 10, 0.8 * self.clock.day_minutes)
            self._act(d, "request_supplement", t, actor_id=self._pick(A.RECEIVER), role=A.RECEIVER,
                      reason=rng.choice(SUPPLEMENT_REASONS))  # fmt: skip
            t = self._office_later_within(t, 60, 3 * self.clock.day_minutes)
            self._resupply(d, t)
            self._act(d, "supplement", t, actor_id=d.applicant.id, role=A.APPLICANT)
        t = self._office_later_within(t, 10, 1.2 * self.clock.day_minutes)
        self._act(d, "receive", t, actor_id=self._pick(A.RECEIVER), role=A.RECEIVER)
        return True

    def _resupply(self, d: DossierState, answered: datetime) -> None:
        """The applicant uploads the paper asked for shortly before answering the supplement request."""
        papers = self.world.mandatory_documents(d.procedure) or self.world.documents(d.procedure)
        if papers:
            at = answered - timedelta(minutes=self.rng.uniform(1, 20))
            self._attach(d, max(at, d.updated_at + MS), self.rng.choice(papers))

    def _counter_intake(self, d: DossierState, at: datetime) -> bool:
        """dossiers.services.counter.dossier_register_at_counter: created, coded and received in one go."""
        receiver = self._pick(A.RECEIVER)
        d.created_at, d.registered_by_id = at, receiver
        if self.rng.random() < self.shares.on_behalf:
            d.on_behalf_note = self.rng.choice(ON_BEHALF_NOTES)
        self._assign_code_and_fee(d, at + 2 * MS)
        self._act(d, "register_at_counter", at + 4 * MS, actor_id=receiver, role=A.RECEIVER, note=d.on_behalf_note)
        return True

    # --- money -------------------------------------------------------------------------------------

    def _start_payment(self, d: DossierState, at: datetime) -> PaymentRow:
        """payments.services.start: the pending payment, then the gateway's session recorded on it."""
        if at > self.world.now:
            raise Cutoff
        owed = d.amount_due - d.amount_paid
        breakdown = self.world.fees.breakdown(
            procedure=d.procedure, channel=d.channel, day=self.clock.local(d.submitted_at).date()
        ).as_dict()
        payment = PaymentRow(
            public_id=self.world.uuid(d.code, "payment", str(len(d.payments))),
            payer_id=d.applicant.id,
            amount=owed,
            breakdown={**breakdown, "already_paid": d.amount_paid, "owed": owed},
            provider=self.world.provider,
            expires_at=d.submitted_at + self.world.payment_expiry,
            created_at=at,
            updated_at=at + 40 * MS,
        )
        payment.provider_ref = self.world.provider_ref(d.code, str(len(d.payments)))
        d.payments.append(payment)
        return payment

    def _pay_online(self, d: DossierState, at: datetime) -> datetime:
        rng = self.rng
        payment = self._start_payment(d, at + timedelta(seconds=rng.uniform(15, 240)))
        paid = payment.created_at + timedelta(seconds=rng.uniform(30, 360))
        if paid > self.world.now:
            raise Cutoff
        notice = {
            "occurred_at": (paid - timedelta(seconds=rng.uniform(0.05, 2))).astimezone(UTC).isoformat(),
            "amount": payment.amount,
        }
        receipt = self.world.receipt_number(self.clock.local(paid).year)
        payment.move(
            PaymentStatus.SUCCEEDED,
            at=paid,
            source="notice",
            event_key=f"{NoticeEvent.PAYMENT_SUCCEEDED.value}:{payment.provider_ref}",
            data=notice,
            receipt=receipt,
        )
        self._act(
            d, "confirm_payment", paid + 4 * MS, actor_id=None, role=A.SYSTEM, note=receipt, amount=payment.amount
        )
        # The result page asks the gateway once the payer is back: it learns the method, nothing moves.
        synced = paid + timedelta(seconds=rng.uniform(1, 20))
        if synced <= self.world.now:
            payment.method = rng.choices(*PAYMENT_METHODS)[0]
            payment.updated_at = synced
        return paid + 4 * MS

    def _payment_abandoned(self, d: DossierState, at: datetime) -> None:
        """No payment arrives: the expiry sweep withdraws the dossier after one last look at the gateway."""
        payment = None
        if self.rng.random() < 0.7:
            payment = self._start_payment(d, at + timedelta(seconds=self.rng.uniform(15, 600)))
        due = d.submitted_at + self.world.payment_expiry
        swept = self.world.sweep_after(due, EXPIRY_SWEEP_SECONDS)
        if swept > self.world.now:
            raise Cutoff
        if payment is not None:
            payment.move(
                PaymentStatus.EXPIRED, at=swept, source="query", data={"gateway_status": "expired", "refund_status": ""}
            )
        note = EXPIRY_NOTE.format(minutes=self.world.payment_expiry_minutes)
        self._act(d, "expire_payment", swept + 3 * MS, actor_id=None, role=A.SYSTEM, note=note)

    # --- after receipt -------------------------------------------------------------------------------

    def _supplements(self) -> int:
        draw = self.rng.random()
        if draw < self.shares.two_supplements:
            return 2
        return 1 if draw < self.shares.two_supplements + self.shares.one_supplement else 0

    def _finish_position(self, last: float, due: float, late: bool) -> float:
        rng, day = self.rng, self.clock.day_minutes
        if late:
            return max(last, due) + day * rng.expovariate(1 / 2.5) + rng.uniform(10, 300)
        room = due - last
        if room <= 4:
            return last + 2  # no time left: it finishes late whatever was planned
        return last + 1 + (room - 2) * rng.triangular(0, 1, 0.25)  # most finish well before the appointment

    def _processing(self, d: DossierState) -> None:
        rng, clock = self.rng, self.clock
        late = self.quota.late()
        t = self._office_later(d.received_at, 3, 120)
        processor = self._pick(A.PROCESSOR)
        self._act(d, "assign", t, actor_id=self._pick(A.RECEIVER), role=A.RECEIVER, assignee_id=processor)
        for _ in range(self._supplements()):
            room = max(clock.position(d.due_at) - clock.position(t), 30)
            t = clock.moment(clock.position(t) + 1 + room * rng.uniform(0.05, 0.4))
            self._act(
                d, "request_supplement", t, actor_id=processor, role=A.PROCESSOR, reason=rng.choice(SUPPLEMENT_REASONS)
            )
            t = self._applicant_later(d, t, rng.uniform(0.3, 8))
            if t > self.world.now:
                raise Cutoff
            self._resupply(d, t)
            self._act(d, "supplement", t, actor_id=d.applicant.id, role=A.APPLICANT)
        last, due = clock.position(t), clock.position(d.due_at)
        finish = self._finish_position(last, due, late)
        returned = rng.random() < self.shares.returned_by_approver
        marks = sorted(rng.uniform(0.3, 0.95) for _ in range(3 if returned else 1))
        moves = [("forward", A.PROCESSOR, {})]
        if returned:
            moves += [("return", A.APPROVER, {"reason": rng.choice(RETURN_REASONS)}), ("forward", A.PROCESSOR, {})]
        approver = self._pick(A.APPROVER)
        for (action, role, inputs), mark in zip(moves, marks, strict=True):
            who = processor if role == A.PROCESSOR else approver
            self._act(d, action, clock.moment(last + (finish - last) * mark), actor_id=who, role=role, **inputs)
        if rng.random() < self.shares.refused:
            self._act(
                d, "refuse", clock.moment(finish), actor_id=approver, role=A.APPROVER, reason=rng.choice(REFUSE_REASONS)
            )
            return
        self._act(d, "approve", clock.moment(finish), actor_id=approver, role=A.APPROVER)
        self._hand_over(d, finish, due, late)

    def _hand_over(self, d: DossierState, finish: float, due: float, late: bool) -> None:
        rng, clock = self.rng, self.clock
        if not late and due - finish > 4:
            handed = finish + 2 + (due - finish - 3) * rng.triangular(0, 1, 0)
        else:
            handed = finish + 5 + clock.day_minutes * rng.expovariate(1 / 0.6)
        receiver = self._pick(A.RECEIVER)
        owed = rules.fee_outstanding(d)
        if owed:
            paid = clock.moment(max(handed - rng.uniform(1, 4), finish + 1))
            self._act(d, "record_counter_payment", paid, actor_id=receiver, role=A.RECEIVER, amount=owed)
            handed = max(handed, clock.position(paid) + 0.5)
        self._act(d, "hand_over", clock.moment(handed), actor_id=receiver, role=A.RECEIVER)

    def _rate(self, d: DossierState) -> None:
        online = d.channel == IntakeChannel.ONLINE
        if d.status != S.COMPLETED or self.rng.random() >= (
            self.shares.rated_online if online else self.shares.rated_offline
        ):
            return
        at = d.completed_at + timedelta(minutes=self.rng.uniform(10, 3 * 24 * 60))
        if at > self.world.now:
            return
        on_time = d.completed_at <= d.due_at
        score = self.rng.choices(*(SCORES_ON_TIME if on_time else SCORES_LATE))[0]
        comment = self.rng.choice(COMMENTS[score]) if self.rng.random() < 0.3 else ""
        d.rating = (score, comment, at)

    def _overdue_flag(self, d: DossierState) -> datetime | None:
        """When the flag_overdue sweep first saw the dossier open, received, not paused and past its appointment."""
        segments, now = d.segments, self.world.now
        for n, (start, status, due_at, paused_at) in enumerate(segments):
            if status not in OPEN_RECEIVED or due_at is None or paused_at is not None:
                continue
            end = segments[n + 1][0] if n + 1 < len(segments) else now
            if due_at >= end:
                continue
            tick = self.world.sweep_after(max(start, due_at), OVERDUE_SWEEP_SECONDS)
            if tick < end and tick <= now:
                return tick
        return None
