from celery import shared_task

from portal.notifications import services
from portal.notifications.providers import DeliveryError


@shared_task(
    name=services.DELIVER_MESSAGE_TASK,
    bind=True,
    autoretry_for=(DeliveryError,),
    retry_backoff=5,
    max_retries=8,
)
def deliver_message(self, message_id: int) -> None:
    services.message_deliver(message_id=message_id)


@shared_task
def relay_queued_messages() -> int:
    return services.messages_relay_queued()
