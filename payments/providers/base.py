"""The gateway interface. A real gateway (VNPAY, Napas, the national payment platform) plugs in here.

The portal talks to whatever `settings.PAYMENT_PROVIDER` names and never asks which one it is.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


class ProviderError(Exception):
    """The gateway could not be reached or refused the request; the caller retries later."""


@dataclass(frozen=True)
class CreatedPayment:
    provider_ref: str
    pay_url: str


@dataclass(frozen=True)
class PaymentState:
    """What the gateway says about a payment, in the portal's own status words."""

    status: str  # one of PaymentStatus: pending, succeeded, failed, cancelled, expired, refunded
    amount: int
    method: str = ""
    refund_status: str = ""  # "", "pending", "succeeded", "failed"
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class SettlementRow:
    provider_ref: str
    payment_id: str
    amount: int
    status: str


class PaymentProvider:
    name = "base"

    def create_payment(
        self, *, payment_id: str, amount: int, description: str, return_url: str, expires_at: datetime
    ) -> CreatedPayment:
        raise NotImplementedError

    def query_status(self, *, provider_ref: str) -> PaymentState:
        raise NotImplementedError

    def refund(self, *, provider_ref: str, amount: int) -> str:
        """Ask for the money back; returns the gateway's refund reference. The outcome comes later."""
        raise NotImplementedError

    def settlement(self, *, day: date) -> list[SettlementRow]:
        """The gateway's settlement for one day, as it reports it."""
        raise NotImplementedError


@cache
def provider_class(path: str) -> type[PaymentProvider]:
    return import_string(path)


def get_provider() -> PaymentProvider:
    return provider_class(settings.PAYMENT_PROVIDER)()
