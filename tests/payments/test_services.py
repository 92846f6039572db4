"""Payments through the services: lost notices, expiry, refunds, discounts, late successes."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from dossiers.services.review import ActionInput, dossier_act
from payments.constants import AlertKind, PaymentStatus
from payments.models import PaymentAlert
from payments.providers.mockpay import simulator
from payments.providers.mockpay.models import GatewayNotice
from payments.services import dossiers_expire_unpaid, payments_poll_pending, refunds_retry_failed
from portal.notifications.models import OutboundMessage
from procedures.fees import fee_breakdown
from procedures.models import DiscountPolicy
from tests.dossiers.builders import make_dossier
from tests.payments.helpers import CHARGE, FEE, TOTAL, level4_procedure, paid, pay_on_gateway, start

pytestmark = pytest.mark.django_db
S = PaymentStatus


def test_a_lost_notice_is_caught_by_polling(awaiting, monkeypatch, django_capture_on_commit_callbacks):
    def unreachable(body, signature):
        raise simulator.NoticeRejected("connection refused")

    monkeypatch.setattr(simulator, "post_notice", unreachable)
    payment = start(awaiting)
    with django_capture_on_commit_callbacks(execute=True):
        pay_on_gateway(payment)
    payment.refresh_from_db()
    notice = GatewayNotice.objects.get()
    # Eager Celery schedules the retry instead of running it: one attempt, the notice stays queued.
    assert payment.status == S.PENDING and notice.delivered_at is None and notice.attempts == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_poll_pending(older_than=timedelta(0)) == 1
    payment.refresh_from_db()
    awaiting.refresh_from_db()
    assert payment.status == S.SUCCEEDED and payment.method == "card"
    assert awaiting.status == "submitted" and awaiting.amount_paid == TOTAL


def test_polling_leaves_young_payments_alone(awaiting):
    payment = start(awaiting)
    pay_on_gateway(payment)
    assert payments_poll_pending() == 0


def test_refund_after_rejection_runs_to_refunded(awaiting, django_capture_on_commit_callbacks):
    payment = paid(awaiting, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_act(
            dossier_id=awaiting.pk,
            user=awaiting.staff.receiver,
            action="reject",
            data=ActionInput(reason="Sai thủ tục"),
        )
    payment.refresh_from_db()
    assert payment.status == S.REFUNDED and payment.refunded_at and payment.refund_attempts == 1
    assert [e.to_status for e in payment.events.all()] == [S.SUCCEEDED, S.REFUND_PENDING, S.REFUNDED]
    assert OutboundMessage.objects.filter(user=awaiting.applicant, body__contains="hoàn lại").exists()


def test_refund_after_refusal(procedure4, django_capture_on_commit_callbacks):
    dossier = make_dossier("submitted", procedure=procedure4)
    payment = paid(dossier, django_capture_on_commit_callbacks)
    staff = dossier.staff
    with django_capture_on_commit_callbacks(execute=True):
        dossier_act(dossier_id=dossier.pk, user=staff.receiver, action="receive")
        dossier_act(
            dossier_id=dossier.pk,
            user=staff.receiver,
            action="assign",
            data=ActionInput(assignee_id=staff.processor.pk),
        )
        dossier_act(dossier_id=dossier.pk, user=staff.processor, action="forward")
        dossier_act(dossier_id=dossier.pk, user=staff.approver, action="refuse", data=ActionInput(reason="Không đủ"))
    payment.refresh_from_db()
    assert payment.status == S.REFUNDED


def test_a_failed_refund_is_visible_and_retried(awaiting, settings, django_capture_on_commit_callbacks):
    settings.MOCKPAY_FAILING_REFUNDS = 1
    payment = paid(awaiting, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_act(dossier_id=awaiting.pk, user=awaiting.staff.receiver, action="reject", data=ActionInput(reason="x"))
    payment.refresh_from_db()
    assert payment.status == S.REFUND_FAILED
    assert PaymentAlert.objects.filter(kind=AlertKind.REFUND_FAILED, payment=payment).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert refunds_retry_failed() == 1
    payment.refresh_from_db()
    assert payment.status == S.REFUNDED and payment.refund_attempts == 2


def test_withdrawing_cancels_an_open_payment(awaiting, django_capture_on_commit_callbacks):
    payment = start(awaiting)
    dossier_act(dossier_id=awaiting.pk, user=awaiting.applicant, action="withdraw", data=ActionInput(reason="Thôi"))
    payment.refresh_from_db()
    assert payment.status == S.CANCELLED


def test_unpaid_dossier_expires_with_a_notice(awaiting, settings, django_capture_on_commit_callbacks):
    payment = start(awaiting)
    pay_on_gateway(payment, outcome="timeout")  # the payer walks away
    assert dossiers_expire_unpaid() == 0
    later = timezone.now() + timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES + 1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert dossiers_expire_unpaid() == 1
    payment.refresh_from_db()
    awaiting.refresh_from_db()
    assert payment.status == S.EXPIRED and awaiting.status == "withdrawn"
    assert awaiting.events.filter(action="expire_payment", actor_role="system").count() == 1
    assert OutboundMessage.objects.filter(user=awaiting.applicant, body__contains="Đã rút hồ sơ").exists()


def test_a_payment_made_at_the_last_minute_is_confirmed_not_expired(
    awaiting, settings, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(simulator, "post_notice", lambda body, signature: None)  # notice lost on the way
    payment = start(awaiting)
    pay_on_gateway(payment)
    later = timezone.now() + timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES + 1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert dossiers_expire_unpaid() == 0
    awaiting.refresh_from_db()
    assert awaiting.status == "submitted"


def test_a_success_after_the_dossier_closed_is_refunded(awaiting, django_capture_on_commit_callbacks):
    payment = start(awaiting)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_act(dossier_id=awaiting.pk, user=awaiting.applicant, action="withdraw", data=ActionInput(reason="Thôi"))
        pay_on_gateway(payment)  # the payer was still on the gateway page
    payment.refresh_from_db()
    assert payment.status == S.REFUNDED
    assert PaymentAlert.objects.filter(kind=AlertKind.LATE_SUCCESS).exists()


def test_discount_policy_applies_at_submission_and_shows_in_the_breakdown(db):
    procedure = level4_procedure()
    DiscountPolicy.objects.create(name="Giảm 50% nộp trực tuyến", percent=50, valid_from=date(2020, 1, 1))
    DiscountPolicy.objects.create(
        name="Hết hạn", percent=80, procedure=procedure, valid_from=date(2020, 1, 1), valid_to=date(2020, 12, 31)
    )
    dossier = make_dossier("submitted", procedure=procedure)
    assert dossier.amount_due == TOTAL // 2
    breakdown = start(dossier).breakdown
    assert breakdown["fee"] == FEE and breakdown["charge"] == CHARGE
    assert breakdown["discount_name"] == "Giảm 50% nộp trực tuyến" and breakdown["discount_amount"] == TOTAL // 2
    assert breakdown["total"] == breakdown["owed"] == TOTAL // 2


def test_best_discount_wins_and_counter_dossiers_only_get_policies_for_all_channels(db):
    procedure = level4_procedure(online_discount_percent=20)
    DiscountPolicy.objects.create(name="Tỉnh giảm 30%", percent=30, procedure=procedure, valid_from=date(2020, 1, 1))
    DiscountPolicy.objects.create(name="Mọi kênh 10%", percent=10, online_only=False, valid_from=date(2020, 1, 1))
    DiscountPolicy.objects.create(name="Tắt", percent=90, is_active=False, valid_from=date(2020, 1, 1))
    online = fee_breakdown(procedure=procedure, channel="online")
    assert (online.discount_name, online.total) == ("Tỉnh giảm 30%", TOTAL - TOTAL * 30 // 100)
    counter = fee_breakdown(procedure=procedure, channel="counter")
    assert (counter.discount_name, counter.total) == ("Mọi kênh 10%", TOTAL - TOTAL // 10)
    future = fee_breakdown(procedure=procedure, channel="online", day=date(2019, 6, 1))
    assert future.discount_percent == 20
