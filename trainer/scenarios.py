"""The trainer's scenarios: each puts a dossier at the step worth showing and says what to do next;
`finish` carries it to its end, as the walkthrough does. Every step goes through the services."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

import portal.clock as clock
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from figures.history.params import seeded
from figures.history.people import person
from payments.constants import PaymentStatus
from payments.models import Payment
from procedures.calendar import add_working_days
from procedures.models import Agency, Procedure
from trainer import steps
from trainer.cast import applicants, cast_for
from trainer.clockwork import clock_advance

S = DossierStatus
COMMUNE = "000.01.15.H26"  # UBND phường Trần Phú
JUSTICE = "000.00.01.H26"  # Sở Tư pháp
BIRTH = "1.001193"  # đăng ký khai sinh
MARITAL = "1.004873"  # xác nhận tình trạng hôn nhân
CRIMINAL_RECORD = "3.000333"  # phiếu lý lịch tư pháp (mức độ 4, có phí)
RESIDENCE = "1.010041"  # xác nhận thông tin về cư trú


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    summary: str
    next_step: str
    start: Callable[[steps.Story], Dossier]
    finish: Callable[[steps.Story, Dossier], Dossier]


def _where(agency_code: str, procedure_code: str):
    agency = Agency.objects.get(code=agency_code)
    return cast_for(agency), Procedure.objects.get(code=procedure_code)


def _online(story, agency_code, procedure_code, *, postal=False, applicant=0, pay=True) -> tuple:
    """The applicant files online; pays at once when the fee (or the postage) is due online, unless told not to."""
    cast, procedure = _where(agency_code, procedure_code)
    who = applicants()[applicant]
    dossier = steps.draft(story, applicant=who, procedure=procedure, agency=cast.agency, postal=postal)
    dossier = steps.submit(story, dossier)
    if pay and dossier.status == S.AWAITING_PAYMENT:
        steps.pay_online(story, dossier)
        dossier.refresh_from_db()
    return cast, dossier


def _to_approval(story, dossier, cast):
    for action in ("assign", "forward"):
        dossier = steps.act(story, dossier, cast, action)
    return dossier


def _close_at_counter(story, dossier, cast):
    dossier = steps.act(story, dossier, cast, "approve")
    dossier.refresh_from_db()
    if dossier.amount_due > dossier.amount_paid:
        dossier = steps.act(story, dossier, cast, "record_counter_payment")
    return steps.act(story, dossier, cast, "hand_over")


# --- 1. Birth registration at a commune, result collected at the counter ----------------------------
def birth_start(story):
    return _online(story, COMMUNE, BIRTH)[1]


def birth_finish(story, dossier):
    cast, _procedure = _where(COMMUNE, BIRTH)
    dossier = steps.act(story, dossier, cast, "receive")
    dossier = _to_approval(story, dossier, cast)
    dossier = _close_at_counter(story, dossier, cast)
    steps.rate(story, dossier)
    return steps.expect(dossier, S.COMPLETED)


# --- 2. Criminal-record certificate, level 4: paid online, result by post ----------------------------
def criminal_start(story):
    return _online(story, JUSTICE, CRIMINAL_RECORD, postal=True, pay=False)[1]


def criminal_finish(story, dossier):
    cast, _procedure = _where(JUSTICE, CRIMINAL_RECORD)
    steps.pay_online(story, dossier)
    dossier = steps.act(story, dossier, cast, "receive")
    dossier = _to_approval(story, dossier, cast)
    dossier = steps.act(story, dossier, cast, "approve")
    dossier = steps.act(story, dossier, cast, "ship")
    steps.courier_until(story, dossier, statuses=frozenset({S.COMPLETED}))
    steps.rate(story, dossier)
    return steps.expect(dossier, S.COMPLETED)


# --- 3. Supplement loop ------------------------------------------------------------------------------
def supplement_start(story):
    cast, dossier = _online(story, COMMUNE, MARITAL, applicant=1)
    dossier = steps.act(story, dossier, cast, "receive")
    return steps.act(story, dossier, cast, "request_supplement")


def supplement_finish(story, dossier):
    cast, _procedure = _where(COMMUNE, MARITAL)
    dossier = steps.supplement(story, dossier)
    dossier = _to_approval(story, dossier, cast)
    return steps.expect(_close_at_counter(story, dossier, cast), S.COMPLETED)


# --- 4. Overdue, apology slip and a new date ---------------------------------------------------------
def overdue_start(story):
    cast, dossier = _online(story, COMMUNE, RESIDENCE)
    dossier = steps.act(story, dossier, cast, "receive")
    return steps.act(story, dossier, cast, "assign")


def overdue_finish(story, dossier):
    cast, _procedure = _where(COMMUNE, RESIDENCE)
    done = clock_advance(working_days=3)
    dossier.refresh_from_db()
    story.record(dossier, f"Dời đồng hồ 3 ngày làm việc; quét hồ sơ quá hạn: {done['overdue']} hồ sơ", "Hệ thống")
    if dossier.overdue_flagged_at is None:
        raise steps.StoryError(f"{dossier.code} was not flagged overdue")
    new_date = add_working_days(clock.now(), 2)
    dossier = steps.act(story, dossier, cast, "issue_apology", new_due_at=new_date)
    dossier = steps.act(story, dossier, cast, "forward")
    return steps.expect(_close_at_counter(story, dossier, cast), S.COMPLETED)


# --- 5. Refused after payment, the fee refunded ------------------------------------------------------
def refused_start(story):
    cast, dossier = _online(story, JUSTICE, CRIMINAL_RECORD, applicant=1)
    dossier = steps.act(story, dossier, cast, "receive")
    return _to_approval(story, dossier, cast)


def refused_finish(story, dossier):
    cast, _procedure = _where(JUSTICE, CRIMINAL_RECORD)
    dossier = steps.act(story, dossier, cast, "refuse")
    payment = Payment.objects.filter(dossier=dossier).order_by("-id").first()
    if payment is None or payment.status != PaymentStatus.REFUNDED:
        raise steps.StoryError(f"{dossier.code}: the fee was not refunded")
    story.record(dossier, f"Cổng thanh toán hoàn tiền {payment.amount:,} đồng".replace(",", "."), "Hệ thống")
    return steps.expect(dossier, S.REFUSED)


# --- 6. Counter intake on behalf of an elderly person ------------------------------------------------
ELDERLY_SEED = 1945


def elderly_start(story):
    cast, procedure = _where(COMMUNE, MARITAL)
    elder = person(seeded(ELDERLY_SEED, "elderly"), born_from=1940, born_to=1948)
    note = "Người cao tuổi không sử dụng điện thoại thông minh; cán bộ nhập hồ sơ giúp theo giấy tờ mang đến."
    return steps.counter_intake(story, cast=cast, procedure=procedure, person=elder, note=note)


def elderly_finish(story, dossier):
    cast, _procedure = _where(COMMUNE, MARITAL)
    dossier = _to_approval(story, dossier, cast)
    return steps.expect(_close_at_counter(story, dossier, cast), S.COMPLETED)


# --- 7. Failed postal delivery, the result back at the counter ---------------------------------------
def failed_delivery_start(story):
    cast, dossier = _online(story, COMMUNE, MARITAL, postal=True)
    dossier = steps.act(story, dossier, cast, "receive")
    dossier = _to_approval(story, dossier, cast)
    dossier = steps.act(story, dossier, cast, "approve")
    return steps.act(story, dossier, cast, "ship")


def failed_delivery_finish(story, dossier):
    cast, _procedure = _where(COMMUNE, MARITAL)
    steps.courier_until(story, dossier, statuses=frozenset({S.RESULT_READY}), fail_at="out_for_delivery")
    dossier.refresh_from_db()
    if dossier.amount_due > dossier.amount_paid:
        dossier = steps.act(story, dossier, cast, "record_counter_payment")
    return steps.expect(steps.act(story, dossier, cast, "hand_over"), S.COMPLETED)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "birth",
        _("Đăng ký khai sinh mức độ 3 tại UBND phường"),
        _("Công dân nộp trực tuyến, nhận kết quả tại bộ phận một cửa UBND phường Trần Phú."),
        _("Đăng nhập là cán bộ tiếp nhận UBND phường Trần Phú và tiếp nhận hồ sơ trong hàng đợi."),
        birth_start,
        birth_finish,
    ),
    Scenario(
        "criminal_record",
        _("Phiếu lý lịch tư pháp mức độ 4: thanh toán trực tuyến, nhận kết quả qua bưu chính"),
        _("Hồ sơ đã nộp tại Sở Tư pháp và đang chờ thanh toán lệ phí trực tuyến."),
        _("Đăng nhập là công dân Nguyễn Văn An và thanh toán; hoặc dời đồng hồ qua hạn thanh toán: hồ sơ bị rút."),
        criminal_start,
        criminal_finish,
    ),
    Scenario(
        "supplement",
        _("Vòng yêu cầu bổ sung hồ sơ"),
        _("Cán bộ đã tiếp nhận và yêu cầu công dân Trần Thị Bình bổ sung giấy tờ."),
        _("Đăng nhập là công dân Trần Thị Bình, tải lên giấy tờ bổ sung và gửi lại hồ sơ."),
        supplement_start,
        supplement_finish,
    ),
    Scenario(
        "overdue",
        _("Hồ sơ quá hạn: phiếu xin lỗi và hẹn lại ngày trả"),
        _("Hồ sơ thời hạn giải quyết 1 ngày làm việc đã được tiếp nhận và phân công xử lý."),
        _("Dời đồng hồ 3 ngày làm việc, rồi đăng nhập là cán bộ tiếp nhận để thấy dấu quá hạn và lập phiếu xin lỗi."),
        overdue_start,
        overdue_finish,
    ),
    Scenario(
        "refused_refund",
        _("Không giải quyết sau khi đã thanh toán, hoàn tiền"),
        _("Hồ sơ lý lịch tư pháp đã thanh toán trực tuyến, đang chờ lãnh đạo Sở Tư pháp phê duyệt."),
        _("Đăng nhập là lãnh đạo phê duyệt Sở Tư pháp, chọn “Không giải quyết”; khoản phí được hoàn lại."),
        refused_start,
        refused_finish,
    ),
    Scenario(
        "counter_elderly",
        _("Tiếp nhận tại quầy thay người cao tuổi"),
        _("Cán bộ tiếp nhận đã nhập hồ sơ giấy giúp một người cao tuổi, hồ sơ đang xử lý."),
        _("Đăng nhập là cán bộ tiếp nhận, phân công chuyên viên xử lý; người dân tra cứu bằng mã hồ sơ."),
        elderly_start,
        elderly_finish,
    ),
    Scenario(
        "failed_delivery",
        _("Phát kết quả qua bưu chính không thành công, trả về bộ phận một cửa"),
        _("Kết quả đã gửi qua bưu chính và đang trên đường phát."),
        _("Mở trang máy cầm tay của bưu tá, báo phát không thành công; kết quả quay về quầy để trả trực tiếp."),
        failed_delivery_start,
        failed_delivery_finish,
    ),
)
BY_KEY = {scenario.key: scenario for scenario in SCENARIOS}
