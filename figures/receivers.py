"""What keeps the rollups current: every change that moves a figure queues, after its transaction
commits, a recompute of its agency's rows for the day it happened (registered in FiguresConfig.ready).

The dossier moves come through dossiers.status_receivers; payments, ratings and attachments (a scan added
or marked digitised after the receipt) have no move of their own to hook, so their rows' post_save
signals (an extension hook after the change, nothing more).
"""

from datetime import datetime

from dossiers.models import Attachment, Dossier, DossierEvent, Rating
from figures.cache import figures_changed
from payments.constants import PaymentStatus
from payments.models import Payment
from portal.background import enqueue_on_commit
from procedures.calendar import office_time_zone

RECOMPUTE_TASK = "figures.tasks.recompute_rollups_for_dossier"


def rollups_recompute_on_commit(*, dossier_id: int, moment: datetime) -> None:
    figures_changed()
    day = moment.astimezone(office_time_zone()).date()
    enqueue_on_commit(
        RECOMPUTE_TASK, dossier_id, day.isoformat(), description=f"the figures of dossier {dossier_id} on {day}"
    )


def rollups_dossier_entered(*, dossier: Dossier, event: DossierEvent) -> None:
    rollups_recompute_on_commit(dossier_id=dossier.pk, moment=event.created_at)


def rollups_payment_saved(sender, instance: Payment, update_fields=None, **kwargs) -> None:
    if update_fields is not None and "status" not in update_fields:
        return
    moment = {PaymentStatus.SUCCEEDED: instance.paid_at, PaymentStatus.REFUNDED: instance.refunded_at}.get(
        instance.status
    )
    if moment is not None:
        rollups_recompute_on_commit(dossier_id=instance.dossier_id, moment=moment)


def rollups_rating_saved(sender, instance: Rating, created: bool = False, **kwargs) -> None:
    if created:
        rollups_recompute_on_commit(dossier_id=instance.dossier_id, moment=instance.created_at)


def rollups_attachment_saved(sender, instance: Attachment, **kwargs) -> None:
    """A received dossier's digitisation counts on the day it was received."""
    received_at = Dossier.objects.filter(pk=instance.dossier_id).values_list("received_at", flat=True).first()
    if received_at is not None:
        rollups_recompute_on_commit(dossier_id=instance.dossier_id, moment=received_at)
