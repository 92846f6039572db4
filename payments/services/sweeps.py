"""Periodic work: poll the gateway for payments left pending, expire dossiers left unpaid."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

import portal.clock as clock
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.services.review import dossier_act_as_system
from payments.constants import PaymentStatus
from payments.models import Payment
from payments.providers.base import ProviderError
from payments.services.callbacks import payments_awaiting_confirmation
from payments.services.core import payment_lock, payment_move
from payments.services.sync import payment_sync

logger = logging.getLogger(__name__)
S = PaymentStatus
BATCH = 500


def payments_poll_pending(*, older_than: timedelta = timedelta(minutes=2), now=None) -> int:
    """Ask the gateway about payments and refunds still open after a while, and about failed payments it
    has since reported as paid; returns how many moved."""
    cutoff = (now or clock.now()) - older_than
    open_payments = Payment.objects.filter(status=S.PENDING, created_at__lte=cutoff) | Payment.objects.filter(
        status=S.REFUND_PENDING, refund_requested_at__lte=cutoff
    ).exclude(refund_ref="")
    to_ask = list(open_payments.order_by("id").values_list("pk", "status")[:BATCH])
    to_ask += [(payment_id, S.FAILED) for payment_id in payments_awaiting_confirmation()[:BATCH]]
    moved = 0
    for payment_id, status in to_ask:
        try:
            moved += payment_sync(payment_id=payment_id).status != status
        except ProviderError:
            logger.warning("Gateway unreachable while polling payment %s", payment_id, exc_info=True)
    return moved


def dossiers_expire_unpaid(*, now=None) -> int:
    """Withdraw dossiers whose payment time is up, after one last look at the gateway."""
    now = now or clock.now()
    cutoff = now - timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES)
    ids = list(
        Dossier.objects.filter(status=DossierStatus.AWAITING_PAYMENT, submitted_at__lte=cutoff)
        .order_by("submitted_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    return sum(dossier_expire_payment(dossier_id=dossier_id) for dossier_id in ids)


def dossier_expire_payment(*, dossier_id: int) -> bool:
    pending = list(Payment.objects.filter(dossier_id=dossier_id, status=S.PENDING).values_list("pk", flat=True))
    for payment_id in pending:
        try:
            payment_sync(payment_id=payment_id)  # paid at the last minute: confirm rather than expire
        except ProviderError:
            logger.warning("Gateway unreachable; payment %s expires without a last look", payment_id)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier_id)
        if dossier.status != DossierStatus.AWAITING_PAYMENT:
            return False
        for payment_id in Payment.objects.filter(dossier=dossier, status=S.PENDING).values_list("pk", flat=True):
            payment_move(payment_lock(payment_id=payment_id), to=S.EXPIRED, source="portal")
        dossier_act_as_system(
            dossier_id=dossier_id,
            action="expire_payment",
            note=_("Quá {minutes} phút chưa thanh toán phí, lệ phí.").format(minutes=settings.PAYMENT_EXPIRY_MINUTES),
        )
    return True
