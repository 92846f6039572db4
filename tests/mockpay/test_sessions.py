"""The simulator keys sessions by the merchant's payment id, as real gateways key them by order id."""

from datetime import timedelta

import pytest
from django.utils import timezone

from payments.providers.mockpay import simulator

pytestmark = pytest.mark.django_db


def open_session(payment_id="p-1", amount=135_000):
    return simulator.gateway_open(
        merchant_payment_id=payment_id,
        amount=amount,
        description="",
        return_url="/r/",
        expires_at=timezone.now() + timedelta(hours=1),
    )


def test_asking_again_for_the_same_payment_gives_back_its_open_session():
    first = open_session()
    assert open_session().ref == first.ref
    assert open_session(payment_id="p-2").ref != first.ref


def test_a_finished_session_is_not_given_back():
    first = open_session()
    simulator.gateway_complete(ref=first.ref, outcome="failed", method="card")
    assert open_session().ref != first.ref
