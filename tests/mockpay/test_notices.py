"""The simulator's signed notices: sent once the payer pays, sent again by the sweep when lost."""

import pytest

from payments.constants import PaymentStatus
from payments.providers.mockpay import simulator
from payments.providers.mockpay.models import GatewayNotice
from tests.payments.helpers import paid, pay_on_gateway, start

pytestmark = pytest.mark.django_db
S = PaymentStatus


def test_paying_on_the_gateway_sends_the_notice_and_moves_the_dossier(awaiting, django_capture_on_commit_callbacks):
    payment = paid(awaiting, django_capture_on_commit_callbacks)
    notice = GatewayNotice.objects.get()
    assert notice.delivered_at and notice.attempts == 1 and notice.event == "payment.succeeded"
    assert payment.method == "" or payment.method == "card"


def test_undelivered_notices_are_sent_again_by_the_sweep(awaiting, monkeypatch, django_capture_on_commit_callbacks):
    from payments.providers.mockpay.tasks import redeliver_gateway_notices

    real = simulator.post_notice
    monkeypatch.setattr(
        simulator, "post_notice", lambda body, signature: (_ for _ in ()).throw(simulator.NoticeRejected("down"))
    )
    payment = start(awaiting)
    with django_capture_on_commit_callbacks(execute=True):
        pay_on_gateway(payment)
    monkeypatch.setattr(simulator, "post_notice", real)
    assert redeliver_gateway_notices() == 1
    notice = GatewayNotice.objects.get()
    payment.refresh_from_db()
    assert notice.delivered_at and notice.attempts == 2 and payment.status == S.SUCCEEDED
