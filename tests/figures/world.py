"""A small province whose first March week of 2026 is built through the real services, at set times.

Every figure the tests expect is counted by hand from the story below (office time, UTC+7; working
days Monday 2 to Friday 6 March, then Monday 9 and Tuesday 10):

commune C1 (under province P), procedure p3 (level 3, 3 working days, no fee) unless said:
  A  online    received Mon 09:00 (due Thu 09:00), result Tue 10:00, handed over Tue 11:00 → early; rated 5
  B  counter   registered Mon 10:00 (due Thu 10:00), result Thu 09:00 → on the due day
  C  postal    registered Mon 11:00 (due Thu 11:00), result Fri 09:00 → late; rated 1 (dissatisfied)
  D  online    received Mon 08:00; supplement asked Mon 09:00, answered Wed 09:00 (2 days back), asked again
               Wed 10:00, answered Thu 10:00 (1 day back: due Tue 10 Mar 08:00); result Fri 10:00 → early by
               the appointment, late for Decision 766 (two supplement requests); 1 working day of processing
  E  online    sent Mon 14:00, rejected at reception Mon 15:00 (never received)
  F  online    p4 (level 4, fee 135,000): paid Mon 08:45, received Mon 09:30, refused Tue 14:00, refunded
  G  online    p4: paid Mon 13:10, received Mon 13:30 (due Thu 13:30), result Wed 10:00 → early
  H  counter   registered Mon 16:00 (due Thu 16:00); apology slip Fri 08:00 (new date Tue 10 Mar), result
               Fri 09:00 → late (an apology slip marks it late)
  K  online    received Wed 09:00, still processing
commune C2 (under P): I online, received Tue 09:00, result Tue 15:00 → early (0 working days)
province Q (elsewhere): J counter, registered Mon 10:00, still processing

C1 offers p3 (fully published), p4, p2 (level 2) and p3_idle (level 3, no dossier ever).
"""

import itertools
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.base import ContentFile

from dossiers.services.counter import dossier_register_at_counter
from dossiers.services.drafts import dossier_create_draft
from dossiers.services.rating import dossier_rate
from dossiers.services.review import dossier_act
from dossiers.services.submission import dossier_submit
from procedures.constants import GovLevel, OnlineLevel
from tests import factories
from tests.dossiers.builders import PDF_BYTES, Staff, attach
from tests.payments.helpers import pay_on_gateway, start

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
FEE = 135_000
_SERIAL = itertools.count(1)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HCM)


@dataclass
class World:
    province: object
    c1: object
    c2: object
    other: object
    p3: object
    p4: object
    p2: object
    p3_idle: object
    staff: dict
    capture: object = None
    # Live: what every step queues after commit (the figures' recompute too) runs right after it.
    live: bool = False
    dossiers: dict = field(default_factory=dict)


@contextmanager
def moment(world, when, *, run_queued: bool = False):
    """At `when`; what the step queues after commit runs then when the world is live or it is asked."""
    with time_machine.travel(when, tick=False):
        if world.live or run_queued:
            with world.capture(execute=True):
                yield
        else:
            yield


def _agencies():
    province = factories.AgencyFactory(code="000.00.00.H26", name="UBND tỉnh Hải Dương", gov_level=GovLevel.PROVINCE)
    c1 = factories.AgencyFactory(code="000.01.01.H26", name="UBND xã Một", gov_level=GovLevel.COMMUNE, parent=province)
    c2 = factories.AgencyFactory(code="000.01.02.H26", name="UBND xã Hai", gov_level=GovLevel.COMMUNE, parent=province)
    other = factories.AgencyFactory(code="000.00.00.H30", name="UBND tỉnh khác", gov_level=GovLevel.PROVINCE)
    return province, c1, c2, other


def _procedures(c1, c2, other):
    p3 = factories.ProcedureFactory(
        code="1.000001",
        agencies=[c1, c2, other],
        online_level=OnlineLevel.LEVEL_3,
        processing_days=3,
        description="Nộp hồ sơ, nhận kết quả",
        result_name="Giấy xác nhận",
        legal_basis="Nghị định 01/2026/NĐ-CP",
    )
    p4 = factories.ProcedureFactory(
        code="1.000004", agencies=[c1], online_level=OnlineLevel.LEVEL_4, processing_days=3, fee=100_000, charge=35_000
    )
    p2 = factories.ProcedureFactory(code="1.000002", agencies=[c1], online_level=OnlineLevel.LEVEL_2)
    p3_idle = factories.ProcedureFactory(code="1.000009", agencies=[c1], online_level=OnlineLevel.LEVEL_3)
    return p3, p4, p2, p3_idle


def _online(world, procedure, agency, when):
    """Drafted and sent online at `when`; its applicant attaches the mandatory papers."""
    applicant = factories.CitizenFactory()
    with moment(world, when):
        dossier = dossier_create_draft(
            applicant=applicant,
            procedure_code=procedure.code,
            agency_code=agency.code,
            form_data={"ly_do": "Cần giấy tờ"},
        )
        for document in procedure.required_documents.filter(mandatory=True):
            attach(dossier, document.key)
        dossier_submit(dossier_id=dossier.pk, user=applicant)
    dossier.refresh_from_db()
    return dossier


def _paper(world, procedure, agency, channel, when):
    receiver = world.staff[agency.pk].receiver
    with moment(world, when):
        return dossier_register_at_counter(
            official=receiver,
            procedure_code=procedure.code,
            agency_code=agency.code,
            channel=channel,
            applicant_full_name="Trần Văn Giấy",
            applicant_national_id=f"0300850{next(_SERIAL):05d}",
            applicant_phone=f"0912{next(_SERIAL):06d}",
            form_data={"ly_do": "Cần giấy tờ"},
        )


def act(world, dossier, action, when, *, by=None, run_queued=False, **data):
    """`action` taken at `when`; with `run_queued`, what it queues after commit runs then too (a refund)."""
    staff = world.staff[dossier.agency_id]
    user = by or staff.who(action)
    inputs = staff.inputs_for(action)
    for name, value in data.items():
        setattr(inputs, name, value)
    if action == "approve":
        inputs.result_file = ContentFile(PDF_BYTES, name="ket-qua.pdf")
    with moment(world, when, run_queued=run_queued):
        dossier_act(dossier_id=dossier.pk, user=user, action=action, data=inputs)


def to_result(world, dossier, when):
    """Assigned, forwarded and approved at `when` (the result is issued then)."""
    for action in ("assign", "forward", "approve"):
        act(world, dossier, action, when)


def complete(world, dossier, result_at, handed_at):
    to_result(world, dossier, result_at)
    act(world, dossier, "hand_over", handed_at)


def pay(world, dossier, when):
    """Paid in full on the simulated gateway, its notice delivered (both after commit)."""
    with moment(world, when):
        payment = start(dossier)
    with moment(world, when, run_queued=True):
        pay_on_gateway(payment)
    dossier.refresh_from_db()
    return payment


def rate(world, dossier, score, when):
    with moment(world, when):
        dossier_rate(dossier_id=dossier.pk, user=dossier.applicant, score=score)


def build(capture, *, live: bool = False) -> World:
    """`capture`: a captureOnCommitCallbacks; `live`: every step's after-commit work runs right after it."""
    province, c1, c2, other = _agencies()
    p3, p4, p2, p3_idle = _procedures(c1, c2, other)
    staff = {agency.pk: Staff(agency) for agency in (c1, c2, other)}
    w = World(province, c1, c2, other, p3, p4, p2, p3_idle, staff, capture=capture, live=live)
    d = w.dossiers

    d["A"] = _online(w, p3, c1, at(2, 9))
    act(w, d["A"], "receive", at(2, 9))
    complete(w, d["A"], at(3, 10), at(3, 11))
    rate(w, d["A"], 5, at(3, 12))

    d["B"] = _paper(w, p3, c1, "counter", at(2, 10))
    complete(w, d["B"], at(5, 9), at(5, 9, 30))

    d["C"] = _paper(w, p3, c1, "postal", at(2, 11))
    complete(w, d["C"], at(6, 9), at(6, 9, 30))
    rate(w, d["C"], 1, at(6, 10))

    d["D"] = _online(w, p3, c1, at(2, 8))
    act(w, d["D"], "receive", at(2, 8))
    act(w, d["D"], "request_supplement", at(2, 9))
    act(w, d["D"], "supplement", at(4, 9), by=d["D"].applicant)
    act(w, d["D"], "request_supplement", at(4, 10))
    act(w, d["D"], "supplement", at(5, 10), by=d["D"].applicant)
    complete(w, d["D"], at(6, 10), at(6, 10, 30))

    d["E"] = _online(w, p3, c1, at(2, 14))
    act(w, d["E"], "reject", at(2, 15))

    d["F"] = _online(w, p4, c1, at(2, 8, 30))
    pay(w, d["F"], at(2, 8, 45))
    act(w, d["F"], "receive", at(2, 9, 30))
    act(w, d["F"], "assign", at(3, 9))
    act(w, d["F"], "forward", at(3, 9))
    act(w, d["F"], "refuse", at(3, 14), run_queued=True)

    d["G"] = _online(w, p4, c1, at(2, 13))
    pay(w, d["G"], at(2, 13, 10))
    act(w, d["G"], "receive", at(2, 13, 30))
    complete(w, d["G"], at(4, 10), at(4, 10, 30))

    d["H"] = _paper(w, p3, c1, "counter", at(2, 16))
    act(w, d["H"], "issue_apology", at(6, 8), new_due_at=date(2026, 3, 10))
    complete(w, d["H"], at(6, 9), at(6, 9, 30))

    d["K"] = _online(w, p3, c1, at(4, 9))
    act(w, d["K"], "receive", at(4, 9))

    d["I"] = _online(w, p3, c2, at(3, 9))
    act(w, d["I"], "receive", at(3, 9))
    complete(w, d["I"], at(3, 15), at(3, 15, 30))

    d["J"] = _paper(w, p3, other, "counter", at(2, 10))
    for dossier in d.values():
        dossier.refresh_from_db()
    return w
