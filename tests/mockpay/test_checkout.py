"""The simulator's checkout page."""

import pytest

from payments.constants import PaymentStatus
from tests.payments.helpers import pay_on_gateway, start

pytestmark = pytest.mark.django_db


def test_a_finished_gateway_session_takes_no_second_outcome(owner_web, awaiting):
    payment = start(awaiting)
    pay_on_gateway(payment, outcome="failed")
    owner_web.post(payment.pay_url, {"method": "card", "outcome": "succeeded"})
    owner_web.get(f"/payments/{payment.public_id}/result/")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert "Giao dịch này đã kết thúc" in owner_web.get(payment.pay_url).content.decode()
