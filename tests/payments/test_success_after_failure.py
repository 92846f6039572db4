"""Rule: no notice that reports money taken is ever silently ignored. A success the gateway reports after
it reported the same payment failed raises an alert naming the payment, and the payment moves to succeeded
(the dossier with it) once the gateway confirms it when asked: at once, or later by the poller."""

import pytest

from payments.constants import AlertKind, PaymentStatus
from payments.models import PaymentAlert, PaymentEvent
from payments.providers.base import ProviderError
from payments.providers.mockpay.models import GatewayStatus, GatewayTransaction
from payments.services import payments_poll_pending
from tests.payments.helpers import notice_bytes, post_notice, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(api_client, awaiting):
    payment = start(awaiting)
    assert post_notice(api_client, notice_bytes(payment, event="payment.failed")).json() == {"result": "applied"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    return payment


def _gateway_says(payment, status):
    GatewayTransaction.objects.filter(ref=payment.provider_ref).update(status=status)


def _alert_for(payment):
    return PaymentAlert.objects.get(kind=AlertKind.SUCCESS_AFTER_FAILURE, payment=payment, resolved_at__isnull=True)


def test_a_success_after_a_failure_confirmed_by_the_gateway_pays_the_dossier(api_client, failed):
    _gateway_says(failed, GatewayStatus.SUCCEEDED)
    response = post_notice(api_client, notice_bytes(failed))
    assert response.status_code == 200 and response.json() == {"result": "applied"}
    failed.refresh_from_db()
    failed.dossier.refresh_from_db()
    assert failed.status == PaymentStatus.SUCCEEDED and failed.receipt_number
    assert failed.dossier.status == "submitted" and failed.dossier.amount_paid == failed.amount
    assert failed.provider_ref in _alert_for(failed).detail  # staff still see that the gateway changed its mind
    assert PaymentEvent.objects.filter(payment=failed, source="query", to_status=PaymentStatus.SUCCEEDED).exists()


def test_an_unconfirmed_success_leaves_an_open_alert_and_the_poller_applies_it_later(api_client, failed):
    response = post_notice(api_client, notice_bytes(failed))
    assert response.status_code == 200 and response.json() == {"result": "ignored"}
    failed.refresh_from_db()
    assert failed.status == PaymentStatus.FAILED
    alert = _alert_for(failed)
    assert failed.dossier.code in alert.detail
    recorded = PaymentEvent.objects.get(payment=failed, event_key__startswith="payment.succeeded")
    assert recorded.applied is False and recorded.data["awaiting"] == "gateway_confirmation"
    again = post_notice(api_client, notice_bytes(failed))
    assert again.json() == {"result": "duplicate"}

    _gateway_says(failed, GatewayStatus.SUCCEEDED)
    assert payments_poll_pending() == 1
    failed.refresh_from_db()
    failed.dossier.refresh_from_db()
    assert failed.status == PaymentStatus.SUCCEEDED and failed.dossier.status == "submitted"


def test_a_gateway_that_does_not_answer_leaves_the_alert_open(api_client, failed, monkeypatch):
    def unreachable(self, *, provider_ref):
        raise ProviderError("timeout")

    monkeypatch.setattr("payments.providers.mockpay.provider.MockPayProvider.query_status", unreachable)
    response = post_notice(api_client, notice_bytes(failed))
    assert response.status_code == 200 and response.json() == {"result": "ignored"}
    failed.refresh_from_db()
    assert failed.status == PaymentStatus.FAILED and _alert_for(failed)
    assert payments_poll_pending() == 0  # still unreachable: nothing moves, nothing breaks


def test_a_confirmed_success_for_a_dossier_paid_meanwhile_is_refunded(api_client, failed):
    second = start(failed.dossier)
    post_notice(api_client, notice_bytes(second))
    second.dossier.refresh_from_db()
    assert second.dossier.status == "submitted"
    _gateway_says(failed, GatewayStatus.SUCCEEDED)
    post_notice(api_client, notice_bytes(failed))
    failed.refresh_from_db()
    assert failed.status == PaymentStatus.REFUND_PENDING
    assert PaymentAlert.objects.filter(kind=AlertKind.LATE_SUCCESS, payment=failed).exists()
