"""The portal's side of the mockpay simulator: the PaymentProvider a real gateway would replace.

A real provider would call the gateway's HTTP API here; the simulator lives in this process,
so its calls are direct, but they go through the same interface and carry the same data.
"""

from datetime import date

from django.urls import reverse

from payments.providers.base import CreatedPayment, PaymentProvider, PaymentState, ProviderError, SettlementRow
from payments.providers.mockpay import settlement, simulator
from payments.providers.mockpay.models import GatewayStatus, GatewayTransaction, RefundStatus

REFUND_STATE = {RefundStatus.PENDING: "pending", RefundStatus.SUCCEEDED: "succeeded", RefundStatus.FAILED: "failed"}


class MockPayProvider(PaymentProvider):
    name = "mockpay"

    def create_payment(self, *, payment_id, amount, description, return_url, expires_at) -> CreatedPayment:
        transaction = simulator.gateway_open(
            merchant_payment_id=payment_id,
            amount=amount,
            description=description,
            return_url=return_url,
            expires_at=expires_at,
        )
        return CreatedPayment(provider_ref=transaction.ref, pay_url=reverse("mockpay:pay", args=[transaction.ref]))

    def query_status(self, *, provider_ref: str) -> PaymentState:
        transaction = GatewayTransaction.objects.filter(ref=provider_ref).first()
        if transaction is None:
            raise ProviderError(f"unknown transaction {provider_ref}")
        status = transaction.effective_status()
        return PaymentState(
            status=GatewayStatus.SUCCEEDED if status == GatewayStatus.REFUNDED else status,
            amount=transaction.amount,
            method=transaction.method,
            refund_status=REFUND_STATE.get(transaction.refund_status, ""),
            occurred_at=transaction.completed_at,
        )

    def refund(self, *, provider_ref: str, amount: int) -> str:
        return simulator.gateway_refund(ref=provider_ref, amount=amount)

    def settlement(self, *, day: date) -> list[SettlementRow]:
        return settlement.settlement_read(day=day)
