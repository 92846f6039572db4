from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dossiers.models import Dossier
from dossiers.services.drafts import dossier_create_draft, dossier_update_draft
from dossiers.services.review import ActionInput, dossier_act
from dossiers.services.submission import dossier_code_take, dossier_submit, fee_owed
from portal.errors import ConflictError, ServiceError, ValidationFailed
from portal.notifications.models import OutboundMessage
from procedures.constants import OnlineLevel
from tests import factories
from tests.dossiers.builders import attach, make_dossier

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_draft_validates_form_data_naming_the_field(procedure, citizen):
    with pytest.raises(ValidationFailed) as error:
        dossier_create_draft(
            applicant=citizen, procedure_code=procedure.code, agency_code=procedure.agencies.first().code, form_data={}
        )
    assert "ly_do" in error.value.errors["form_data"]


def test_draft_rejects_an_agency_that_does_not_handle_the_procedure(procedure, citizen):
    other = factories.AgencyFactory()
    with pytest.raises(ServiceError) as error:
        dossier_create_draft(
            applicant=citizen, procedure_code=procedure.code, agency_code=other.code, form_data={"ly_do": "x"}
        )
    assert error.value.field == "agency"


def test_level_2_procedure_cannot_be_submitted_online(citizen, agency):
    info_only = factories.ProcedureFactory(agencies=[agency], online_level=OnlineLevel.LEVEL_2)
    with pytest.raises(ServiceError) as error:
        dossier_create_draft(applicant=citizen, procedure_code=info_only.code, agency_code=agency.code)
    assert error.value.field == "procedure"


def test_postal_delivery_needs_an_address(procedure, citizen):
    with pytest.raises(ValidationFailed) as error:
        dossier_create_draft(
            applicant=citizen,
            procedure_code=procedure.code,
            agency_code=procedure.agencies.first().code,
            form_data={"ly_do": "x"},
            delivery_method="postal",
            delivery_address={"province": "Hải Phòng"},
        )
    assert set(error.value.errors["delivery_address"]) == {"commune", "street"}


def test_partial_draft_update_merges_answers(procedure, citizen):
    dossier = dossier_create_draft(
        applicant=citizen, procedure_code=procedure.code, agency_code=procedure.agencies.first().code, partial=True
    )
    dossier_update_draft(dossier_id=dossier.pk, user=citizen, form_data={"ly_do": "Xin việc"})
    dossier.refresh_from_db()
    assert dossier.form_data == {"ly_do": "Xin việc"}


def test_submit_without_a_mandatory_document_names_it():
    dossier = make_dossier("draft")
    dossier.attachments.all().delete()
    with pytest.raises(ValidationFailed) as error:
        dossier_submit(dossier_id=dossier.pk, user=dossier.applicant)
    assert "Tờ khai" in error.value.errors["attachments"][0]
    assert Dossier.objects.get(pk=dossier.pk).code is None


def test_submit_twice_is_a_conflict_and_keeps_one_code():
    dossier = make_dossier("submitted")
    with pytest.raises(ConflictError):
        dossier_submit(dossier_id=dossier.pk, user=dossier.applicant)
    dossier.refresh_from_db()
    assert dossier.code.endswith("-0001")


def test_codes_count_per_agency_per_day_without_gaps(agency):
    other = factories.AgencyFactory()
    day = datetime(2026, 11, 24).date()
    codes = [dossier_code_take(agency=agency, day=day) for _ in range(3)]
    assert codes == [f"{agency.code}-261124-{n:04d}" for n in (1, 2, 3)]
    assert dossier_code_take(agency=other, day=day).endswith("-0001")
    assert dossier_code_take(agency=agency, day=day.replace(day=25)).endswith("-261125-0001")


def test_level_4_fee_waits_for_payment_with_online_discount(agency):
    paid = factories.ProcedureFactory(
        agencies=[agency], online_level=OnlineLevel.LEVEL_4, fee=100_000, charge=35_000, online_discount_percent=50
    )
    assert fee_owed(procedure=paid, channel="online") == 67_500
    assert fee_owed(procedure=paid, channel="counter") == 135_000
    dossier = make_dossier("submitted", procedure=paid)
    assert (dossier.status, dossier.amount_due) == ("awaiting_payment", 67_500)


def test_submission_is_an_in_app_notice_and_receipt_an_sms_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier("submitted")
    notice = OutboundMessage.objects.get(channel="app", user=dossier.applicant)
    assert dossier.code in notice.body and notice.status == "sent"
    assert not OutboundMessage.objects.filter(channel="sms", recipient=dossier.applicant.phone).exists()

    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier("processing")
    sms = OutboundMessage.objects.filter(channel="sms", recipient=dossier.applicant.phone).get()
    assert dossier.code in sms.body and "Ngày hẹn trả" in sms.body and sms.status == "sent"


def test_supplement_pause_gives_back_the_working_days():
    # Received Monday 2026-11-16 09:00 with 3 working days → due Thursday 19th 09:00.
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=HCM), tick=False):
        dossier = make_dossier("processing")
    assert dossier.due_at == datetime(2026, 11, 19, 9, 0, tzinfo=HCM)
    with time_machine.travel(datetime(2026, 11, 17, 10, 0, tzinfo=HCM), tick=False):
        dossier_act(
            dossier_id=dossier.pk,
            user=dossier.staff.receiver,
            action="request_supplement",
            data=ActionInput(reason="Thiếu bản sao CCCD"),
        )
    # The applicant answers the next Monday: Wed, Thu, Fri, Mon = 4 working days given back,
    # counted from Thursday 19th: Fri 20, Mon 23, Wed 25 (24/11 is Vietnam Culture Day), Thu 26.
    with time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=HCM), tick=False):
        attach(dossier, "to-khai")
        dossier_act(
            dossier_id=dossier.pk, user=dossier.applicant, action="supplement", data=ActionInput(note="Đã bổ sung")
        )
    dossier.refresh_from_db()
    assert dossier.status == "processing"
    assert dossier.clock_paused_at is None
    assert dossier.due_at == datetime(2026, 11, 26, 9, 0, tzinfo=HCM)


def test_counter_payment_then_hand_over(agency):
    level3 = factories.ProcedureFactory(agencies=[agency], online_level=OnlineLevel.LEVEL_3, fee=50_000)
    dossier = make_dossier("result_ready", procedure=level3)
    receiver = dossier.staff.receiver
    with pytest.raises(ConflictError):
        dossier_act(dossier_id=dossier.pk, user=receiver, action="hand_over")
    with pytest.raises(ServiceError) as error:
        dossier_act(
            dossier_id=dossier.pk, user=receiver, action="record_counter_payment", data=ActionInput(amount=60_000)
        )
    assert error.value.field == "amount"
    dossier_act(dossier_id=dossier.pk, user=receiver, action="record_counter_payment", data=ActionInput(amount=50_000))
    dossier_act(dossier_id=dossier.pk, user=receiver, action="hand_over")
    dossier.refresh_from_db()
    assert (dossier.status, dossier.amount_paid) == ("completed", 50_000)
    assert dossier.completed_at is not None


def test_postal_address_is_checked_against_the_administrative_units(procedure, citizen):
    draft = {
        "applicant": citizen,
        "procedure_code": procedure.code,
        "agency_code": procedure.agencies.first().code,
        "form_data": {"ly_do": "x"},
        "delivery_method": "postal",
    }
    with pytest.raises(ValidationFailed) as error:
        dossier_create_draft(
            **draft, delivery_address={"province": "Hà Nội", "commune": "Phường Trần Hưng Đạo", "street": "1 Hàng Bài"}
        )
    assert set(error.value.errors["delivery_address"]) == {"commune"}

    dossier = dossier_create_draft(
        **draft, delivery_address={"province": "hai phong", "commune": "tran hung dao", "street": "1 Quang Trung"}
    )
    assert dossier.delivery_address["province"] == "Thành phố Hải Phòng"
    assert (dossier.delivery_address["province_code"], dossier.delivery_address["commune_code"]) == (31, 10570)
