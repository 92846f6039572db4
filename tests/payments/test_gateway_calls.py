"""No gateway call inside a database transaction, and nothing lost when a call's answer never comes back.

These tests run on real transactions (`transactional_db`): the fake gateway records, for every call,
whether the connection was inside an atomic block at that moment.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dossiers.services.review import ActionInput, dossier_act
from payments.constants import PaymentStatus
from payments.models import Payment
from payments.services import payment_sync, payments_poll_pending
from payments.services.refunds import refund_request, refunds_stuck
from payments.services.start import GatewayUnavailable
from payments.tasks import retry_refunds
from tests.dossiers.builders import make_dossier
from tests.payments.fake_provider import PAY_URL, FakePaymentProvider
from tests.payments.helpers import level4_procedure, start

pytestmark = pytest.mark.django_db(transaction=True)
S = PaymentStatus


@pytest.fixture
def gateway(settings):
    settings.PAYMENT_PROVIDER = "tests.payments.fake_provider.FakePaymentProvider"
    FakePaymentProvider.reset()
    yield FakePaymentProvider
    FakePaymentProvider.reset()


@pytest.fixture
def dossier(gateway):
    return make_dossier("submitted", procedure=level4_procedure())


def inside_a_transaction(gateway) -> list[str]:
    return [operation for operation, in_atomic_block in gateway.calls if in_atomic_block]


def paid_at_the_gateway(dossier, gateway) -> Payment:
    payment = start(dossier)
    gateway.complete(payment.provider_ref)
    return payment_sync(payment_id=payment.pk)


def test_starting_a_payment_asks_the_gateway_outside_any_transaction_and_twice_gives_one(gateway, dossier):
    first = start(dossier)
    assert first.provider_ref.startswith("FAKE") and first.pay_url == PAY_URL.format(ref=first.provider_ref)
    second = start(dossier)
    assert second.pk == first.pk and Payment.objects.filter(dossier=dossier).count() == 1
    assert gateway.calls == [("create_payment", False)]


def test_a_gateway_down_at_start_leaves_a_payment_the_next_press_completes(gateway, dossier):
    gateway.unreachable = True
    with pytest.raises(GatewayUnavailable):
        start(dossier)
    waiting = Payment.objects.get(dossier=dossier)
    assert waiting.status == S.PENDING and waiting.provider_ref == "" and waiting.pay_url == ""
    gateway.unreachable = False
    payment = start(dossier)
    assert payment.pk == waiting.pk and payment.provider_ref and len(gateway.sessions) == 1
    assert inside_a_transaction(gateway) == []


def test_the_pay_page_follows_the_providers_pay_url(gateway, dossier, client):
    client.force_login(dossier.applicant)
    response = client.post(f"/payments/dossier/{dossier.pk}/")
    payment = Payment.objects.get(dossier=dossier)
    assert response.status_code == 302 and response["Location"] == PAY_URL.format(ref=payment.provider_ref)


def test_the_result_page_and_polling_ask_the_gateway_outside_any_transaction(gateway, dossier, client):
    payment = start(dossier)
    gateway.complete(payment.provider_ref, method="qr")
    assert payments_poll_pending(older_than=timedelta(0)) == 1
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.status == S.SUCCEEDED and payment.method == "qr" and dossier.status == "submitted"
    client.force_login(dossier.applicant)
    assert 'data-status="succeeded"' in client.get(f"/payments/{payment.public_id}/result/").content.decode()
    assert [operation for operation, _ in gateway.calls].count("query_status") == 2
    assert inside_a_transaction(gateway) == []


def test_a_refund_asks_the_gateway_outside_any_transaction(gateway, dossier):
    payment = paid_at_the_gateway(dossier, gateway)
    dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="reject", data=ActionInput(reason="Sai"))
    payment.refresh_from_db()
    assert payment.status == S.REFUND_PENDING and payment.refund_ref == f"R{payment.provider_ref}"
    assert payment.refund_asked_at is None and payment.refund_attempts == 1
    gateway.sessions[payment.provider_ref].refund_status = "succeeded"
    assert payment_sync(payment_id=payment.pk).status == S.REFUNDED
    assert [operation for operation, _ in gateway.calls].count("refund") == 1
    assert inside_a_transaction(gateway) == []


def test_a_refund_whose_answer_was_lost_is_asked_again_by_the_sweep(gateway, dossier, monkeypatch):
    payment = paid_at_the_gateway(dossier, gateway)

    def killed_mid_call(self, *, provider_ref, amount):
        raise RuntimeError("the worker died while the gateway answered")

    monkeypatch.setattr(FakePaymentProvider, "refund", killed_mid_call)
    dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="reject", data=ActionInput(reason="Sai"))
    payment.refresh_from_db()
    assert payment.status == S.REFUND_PENDING and payment.refund_ref == "" and payment.refund_asked_at
    monkeypatch.undo()
    # A second run while the first may still be asking leaves it alone, and the sweep waits too.
    assert refund_request(payment_id=payment.pk).refund_attempts == 1
    assert refunds_stuck(older_than_minutes=0) == []
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert refunds_stuck(older_than_minutes=0) == [payment.pk]
        retry_refunds()
    payment.refresh_from_db()
    assert payment.refund_ref == f"R{payment.provider_ref}" and payment.refund_attempts == 2
    assert [operation for operation, _ in gateway.calls].count("refund") == 1
    assert inside_a_transaction(gateway) == []
