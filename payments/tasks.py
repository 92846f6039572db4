"""Payment background work: thin, idempotent wrappers around the services, with retries and backoff."""

from celery import shared_task

from payments import services
from payments.providers.base import ProviderError
from payments.services.core import REQUEST_REFUND_TASK


@shared_task(
    name=REQUEST_REFUND_TASK,
    bind=True,
    autoretry_for=(ProviderError,),
    retry_backoff=30,
    max_retries=6,
)
def request_refund(self, payment_id: int) -> None:
    services.refund_request(payment_id=payment_id)


@shared_task
def poll_pending_payments() -> int:
    return services.payments_poll_pending()


@shared_task
def expire_unpaid_dossiers() -> int:
    return services.dossiers_expire_unpaid()


@shared_task
def retry_refunds() -> int:
    """Failed refunds go back to the gateway; pending ones nobody sent (a broker outage) are sent."""
    return services.refunds_sweep()
