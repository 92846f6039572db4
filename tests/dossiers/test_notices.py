"""Notices that matter: SMS only for what the applicant acts on or waits for, on the channels they chose,
in their language; internal steps only on the timeline."""

import pytest

from dossiers import workflow
from dossiers.constants import NoticeLevel
from dossiers.services.review import ActionInput, dossier_act, dossier_act_as_system
from dossiers.services.submission import dossier_submit
from portal.accounts.constants import NoticeChannels
from portal.notifications.models import OutboundMessage
from procedures.constants import OnlineLevel
from tests import factories
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db

FEE = 50_000


def _outbox(user):
    messages = OutboundMessage.objects.filter(user=user)
    return {channel: messages.filter(channel=channel).count() for channel in ("sms", "email", "app")}


def _step(dossier, staff, action, **inputs):
    if action == "submit":
        dossier_submit(dossier_id=dossier.pk, user=dossier.applicant)
    elif action == "supplement":
        dossier_act(dossier_id=dossier.pk, user=dossier.applicant, action=action, data=ActionInput(note="Đã bổ sung"))
    else:
        data = staff.inputs_for(action)
        for name, value in inputs.items():
            setattr(data, name, value)
        dossier_act(dossier_id=dossier.pk, user=staff.who(action), action=action, data=data)
    dossier.refresh_from_db()


# (action, SMS the citizen gets at this step, in-app notices at this step, what the SMS must say)
LEVEL_3_JOURNEY = [
    ("submit", 0, 1, None),
    ("receive", 1, 1, "Ngày hẹn trả"),
    ("request_supplement", 1, 1, "Lý do thử nghiệm"),
    ("supplement", 0, 1, None),
    ("assign", 0, 0, None),
    ("forward", 0, 0, None),
    ("return", 0, 0, None),
    ("forward", 0, 0, None),
    ("approve", 1, 1, "50.000 đồng"),
    ("record_counter_payment", 0, 0, None),
    ("hand_over", 0, 1, None),
]


def test_a_level_3_journey_texts_the_citizen_only_what_matters():
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()], fee=FEE)
    dossier = make_dossier("draft", procedure=procedure)
    staff = dossier.staff
    seen = _outbox(dossier.applicant)
    for action, sms, app, says in LEVEL_3_JOURNEY:
        _step(dossier, staff, action, amount=FEE if action == "record_counter_payment" else None)
        now = _outbox(dossier.applicant)
        assert (now["sms"] - seen["sms"], now["app"] - seen["app"]) == (sms, app), action
        assert now["email"] == 0  # the citizen has no e-mail address
        if says:
            latest = OutboundMessage.objects.filter(user=dossier.applicant, channel="sms").latest("id")
            assert says in latest.body and dossier.code in latest.body, action
        seen = now
    dossier.refresh_from_db()
    assert dossier.status == "completed"
    assert seen["sms"] == 3


def test_a_level_4_dossier_texts_payment_due_and_confirmed():
    procedure = factories.ProcedureFactory(
        agencies=[factories.AgencyFactory()], online_level=OnlineLevel.LEVEL_4, fee=FEE
    )
    dossier = make_dossier("draft", procedure=procedure, delivery_method="online")
    dossier_submit(dossier_id=dossier.pk, user=dossier.applicant)
    due = OutboundMessage.objects.get(user=dossier.applicant, channel="sms")
    assert "50.000 đồng" in due.body
    dossier_act_as_system(dossier_id=dossier.pk, action="confirm_payment", amount=FEE, note="BL-1")
    assert OutboundMessage.objects.filter(user=dossier.applicant, channel="sms").count() == 2


def test_rejection_and_refusal_are_texted():
    rejected = make_dossier("rejected")
    assert OutboundMessage.objects.filter(user=rejected.applicant, channel="sms").count() == 1
    awaiting = make_dossier("awaiting_approval")
    before = OutboundMessage.objects.filter(user=awaiting.applicant, channel="sms").count()
    _step(awaiting, awaiting.staff, "refuse")
    assert OutboundMessage.objects.filter(user=awaiting.applicant, channel="sms").count() == before + 1


@pytest.mark.parametrize(
    ("choice", "email", "expected"),
    [
        (NoticeChannels.SMS, "a@example.vn", {"sms": 1, "email": 0}),
        (NoticeChannels.EMAIL, "a@example.vn", {"sms": 0, "email": 1}),
        (NoticeChannels.BOTH, "a@example.vn", {"sms": 1, "email": 1}),
        # E-mail chosen but no address: the SMS still goes, so nothing that matters is lost.
        (NoticeChannels.EMAIL, "", {"sms": 1, "email": 0}),
    ],
)
def test_the_citizen_chooses_sms_email_or_both(choice, email, expected):
    applicant = factories.CitizenFactory(notice_channels=choice, email=email)
    dossier = make_dossier("submitted", applicant=applicant)
    before = _outbox(applicant)
    _step(dossier, dossier.staff, "receive")
    after = _outbox(applicant)
    assert {channel: after[channel] - before[channel] for channel in ("sms", "email")} == expected
    assert after["app"] - before["app"] == 1


def test_notices_are_written_in_the_recipients_language():
    english = factories.CitizenFactory(notice_language="en")
    dossier = make_dossier("processing", applicant=english)
    assert OutboundMessage.objects.filter(user=english, channel="app", body__contains=dossier.code).count() == 2
    sms = OutboundMessage.objects.get(user=english, channel="sms")
    assert "Appointment date" in sms.body and "Ngày hẹn trả" not in sms.body
    assert "Processing" in sms.body
    vietnamese = make_dossier("processing")
    assert "Ngày hẹn trả" in OutboundMessage.objects.get(user=vietnamese.applicant, channel="sms").body


def test_internal_steps_are_never_told_and_what_is_texted_is_decided_by_the_table():
    internal = {t.action for t in workflow.TRANSITIONS if t.notice == NoticeLevel.TIMELINE}
    assert {"assign", "forward", "return"} <= internal
    texted = {t.action for t in workflow.TRANSITIONS if t.notice == NoticeLevel.ALERT}
    assert texted == {
        "receive",
        "register_at_counter",
        "request_supplement",
        "submit",  # the level-4 row: payment due
        "confirm_payment",
        "approve",
        "deliver",
        "return_to_sender",
        "reject",
        "refuse",
        "issue_apology",
    }
