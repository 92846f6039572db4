"""Helpers for payment tests: a level-4 procedure with a fee, signed notices, the payer's choice."""

import json
import time

from django.utils import timezone

from payments import signing
from payments.constants import PaymentStatus
from payments.models import Payment
from payments.providers.mockpay import simulator
from payments.services import payment_start
from procedures.constants import OnlineLevel
from tests import factories

FEE, CHARGE = 100_000, 35_000
TOTAL = FEE + CHARGE


def level4_procedure(**extra):
    return factories.ProcedureFactory(
        agencies=[factories.AgencyFactory()], online_level=OnlineLevel.LEVEL_4, fee=FEE, charge=CHARGE, **extra
    )


def start(dossier) -> Payment:
    return payment_start(dossier_id=dossier.pk, user=dossier.applicant)


def notice_bytes(payment: Payment, *, event="payment.succeeded", amount=None, ref=None) -> bytes:
    body = {
        "event": event,
        "payment_id": str(payment.public_id),
        "provider_ref": ref or payment.provider_ref,
        "amount": payment.amount if amount is None else amount,
        "occurred_at": timezone.now().isoformat(),
    }
    return json.dumps(body, separators=(",", ":")).encode()


def post_notice(client, body: bytes, *, signature: str | None = None, timestamp: int | None = None):
    header = signature if signature is not None else signing.sign(body, timestamp=timestamp)
    return client.post(
        "/api/v1/payments/callback/", data=body, content_type="application/json", HTTP_X_SIGNATURE=header
    )


def pay_on_gateway(payment: Payment, outcome="succeeded", method="card"):
    return simulator.gateway_complete(ref=payment.provider_ref, outcome=outcome, method=method)


def now_ts() -> int:
    return int(time.time())


def paid(dossier, capture) -> Payment:
    """Open a payment and pay it in full on the simulator, its notice delivered."""
    payment = start(dossier)
    with capture(execute=True):
        pay_on_gateway(payment)
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and dossier.status == "submitted"
    return payment
