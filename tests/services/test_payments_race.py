"""Two identical gateway notices arriving at the same moment on PostgreSQL: one change, one event."""

import pytest
from django.db import connection

from payments.constants import PaymentStatus
from payments.models import Payment, PaymentEvent
from payments.services import payment_callback_receive
from payments.signing import sign
from tests.dossiers.builders import make_dossier
from tests.payments.helpers import level4_procedure, notice_bytes, start
from tests.services.test_dossier_concurrency import run_at_once

pytestmark = [pytest.mark.services(needs=("postgres",)), pytest.mark.django_db(transaction=True)]


def test_two_identical_notices_at_once_make_one_payment_and_one_event():
    assert connection.vendor == "postgresql"
    dossier = make_dossier("submitted", procedure=level4_procedure())
    payment = start(dossier)
    body = notice_bytes(payment)
    signature = sign(body)
    results = run_at_once([lambda: payment_callback_receive(raw_body=body, signature=signature)] * 2)
    assert sorted(results) == ["applied", "duplicate"]
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.status == PaymentStatus.SUCCEEDED and payment.receipt_number
    assert PaymentEvent.objects.filter(payment=payment).count() == 1
    dossier.refresh_from_db()
    assert dossier.status == "submitted" and dossier.amount_paid == payment.amount
    assert dossier.events.filter(action="confirm_payment").count() == 1


def test_pressing_pay_twice_at_once_opens_one_payment():
    dossier = make_dossier("submitted", procedure=level4_procedure())
    results = run_at_once([lambda: start(dossier)] * 2)
    assert len({r.pk for r in results}) == 1
    assert Payment.objects.filter(dossier=dossier).count() == 1
