"""Every rule of the gateway's notice: signature, staleness, replay, order, amount."""

import time

import pytest
import time_machine

from payments import signing
from payments.constants import AlertKind, PaymentStatus
from payments.models import PaymentAlert, PaymentEvent
from tests.payments.helpers import notice_bytes, now_ts, post_notice, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(awaiting):
    return start(awaiting)


def test_a_valid_notice_pays_the_dossier(api_client, payment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_notice(api_client, notice_bytes(payment))
    assert response.status_code == 200 and response.json() == {"result": "applied"}
    payment.refresh_from_db()
    payment.dossier.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.receipt_number
    assert payment.dossier.status == "submitted" and payment.dossier.amount_paid == payment.amount
    assert payment.dossier.events.filter(action="confirm_payment", actor_role="system").count() == 1


def test_bad_signature_is_400_and_changes_nothing(api_client, payment):
    body = notice_bytes(payment)
    forged = f"t={now_ts()},v1={'0' * 64}"
    response = post_notice(api_client, body, signature=forged)
    assert response.status_code == 400 and "signature" in response.json()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not PaymentEvent.objects.exists()


def test_signature_covers_the_raw_bytes(api_client, payment):
    body = notice_bytes(payment)
    signature = signing.sign(body)
    reformatted = body.replace(b",", b", ")  # the same JSON, other bytes
    assert post_notice(api_client, reformatted, signature=signature).status_code == 400


@pytest.mark.parametrize("header", ["", "v1=abc", "t=123", "garbage"])
def test_missing_or_malformed_signature_is_400(api_client, payment, header):
    response = post_notice(api_client, notice_bytes(payment), signature=header)
    assert response.status_code == 400 and "signature" in response.json()


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_timestamp_more_than_five_minutes_off_is_stale(api_client, payment, skew):
    # A frozen clock: with a running one, int(time.time()) + 301 can be only 300.x s ahead.
    with time_machine.travel(time.time(), tick=False):
        response = post_notice(api_client, notice_bytes(payment), timestamp=now_ts() + skew)
    assert response.status_code == 400
    assert response.json()["signature"] == ["Thông báo đã quá hạn (dấu thời gian lệch quá 5 phút)."]


def test_within_five_minutes_is_accepted(api_client, payment):
    assert post_notice(api_client, notice_bytes(payment), timestamp=now_ts() - 290).status_code == 200


def test_the_same_notice_twice_is_200_and_changes_nothing(api_client, payment):
    body = notice_bytes(payment)
    assert post_notice(api_client, body).json() == {"result": "applied"}
    payment.refresh_from_db()
    receipt, paid_at = payment.receipt_number, payment.paid_at
    again = post_notice(api_client, body)
    assert again.status_code == 200 and again.json() == {"result": "duplicate"}
    payment.refresh_from_db()
    assert (payment.receipt_number, payment.paid_at) == (receipt, paid_at)
    assert PaymentEvent.objects.filter(payment=payment).count() == 1
    assert payment.dossier.events.filter(action="confirm_payment").count() == 1


def test_a_failure_after_a_success_changes_nothing(api_client, payment):
    post_notice(api_client, notice_bytes(payment))
    response = post_notice(api_client, notice_bytes(payment, event="payment.failed"))
    assert response.status_code == 200 and response.json() == {"result": "ignored"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    ignored = PaymentEvent.objects.get(event_key__startswith="payment.failed")
    assert ignored.applied is False and ignored.to_status == PaymentStatus.SUCCEEDED


def test_a_refund_notice_before_any_refund_is_refused(api_client, payment):
    response = post_notice(api_client, notice_bytes(payment, event="refund.succeeded", ref="MPNOSUCHREFUND"))
    assert response.status_code == 400 and "provider_ref" in response.json()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_amount_mismatch_is_400_with_an_alert(api_client, payment):
    response = post_notice(api_client, notice_bytes(payment, amount=payment.amount - 1000))
    assert response.status_code == 400 and "amount" in response.json()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    alert = PaymentAlert.objects.get()
    assert alert.kind == AlertKind.AMOUNT_MISMATCH and alert.payment == payment


def test_unknown_payment_and_bad_fields_name_the_field(api_client, payment):
    body = notice_bytes(payment).replace(str(payment.public_id).encode(), b"not-a-uuid")
    assert "payment_id" in post_notice(api_client, body).json()
    body = notice_bytes(payment).replace(b'"event":"payment.succeeded"', b'"event":"payment.maybe"')
    assert "event" in post_notice(api_client, body).json()
    assert "body" in post_notice(api_client, b"[1,2").json()


def test_wrong_reference_is_400(api_client, payment):
    response = post_notice(api_client, notice_bytes(payment, ref="MPSOMEONEELSE"))
    assert response.status_code == 400 and "provider_ref" in response.json()
