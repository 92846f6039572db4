"""An in-memory payment gateway: the provider interface without the mockpay app or any table.

Used by the settings that run without the simulator (tests/settings_without_mockpay.py) and by the
tests that prove no gateway call happens inside a database transaction: every call is recorded
with whether the connection was inside an atomic block at that moment.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils import timezone

from payments.providers.base import CreatedPayment, PaymentProvider, PaymentState, ProviderError, SettlementRow

PAY_URL = "https://gateway.example/pay/{ref}"


@dataclass
class FakeSession:
    ref: str
    payment_id: str
    amount: int
    status: str = "pending"
    method: str = ""
    refund_ref: str = ""
    refund_status: str = ""
    opened_on: date = field(default_factory=timezone.localdate)


class FakePaymentProvider(PaymentProvider):
    name = "fake"
    sessions: dict[str, FakeSession] = {}
    calls: list[tuple[str, bool]] = []
    unreachable = False
    _numbers = itertools.count(1)

    @classmethod
    def reset(cls) -> None:
        cls.sessions.clear()
        cls.calls.clear()
        cls.unreachable = False

    @classmethod
    def complete(cls, ref: str, *, status: str = "succeeded", method: str = "card") -> None:
        """The payer's choice at the gateway."""
        cls.sessions[ref].status, cls.sessions[ref].method = status, method

    def _call(self, operation: str) -> None:
        type(self).calls.append((operation, connection.in_atomic_block))
        if type(self).unreachable:
            raise ProviderError(f"{operation}: gateway unreachable")

    def create_payment(self, *, payment_id, amount, description, return_url, expires_at) -> CreatedPayment:
        self._call("create_payment")
        # Like a real gateway keyed by the merchant's order id: asking again returns the same session.
        session = next((s for s in self.sessions.values() if s.payment_id == payment_id), None)
        if session is None:
            session = FakeSession(ref=f"FAKE{next(self._numbers):08d}", payment_id=payment_id, amount=amount)
            self.sessions[session.ref] = session
        return CreatedPayment(provider_ref=session.ref, pay_url=PAY_URL.format(ref=session.ref))

    def query_status(self, *, provider_ref: str) -> PaymentState:
        self._call("query_status")
        session = self.sessions.get(provider_ref)
        if session is None:
            raise ProviderError(f"unknown session {provider_ref}")
        return PaymentState(
            status=session.status, amount=session.amount, method=session.method, refund_status=session.refund_status
        )

    def refund(self, *, provider_ref: str, amount: int) -> str:
        self._call("refund")
        session = self.sessions.get(provider_ref)
        if session is None or session.status != "succeeded" or amount != session.amount:
            raise ProviderError(f"refund refused for {provider_ref}")
        session.refund_ref, session.refund_status = f"R{provider_ref}", "pending"
        return session.refund_ref

    def settlement(self, *, day: date) -> list[SettlementRow]:
        self._call("settlement")
        return [
            SettlementRow(provider_ref=s.ref, payment_id=s.payment_id, amount=s.amount, status=s.status)
            for s in self.sessions.values()
            if s.opened_on == day
        ]
