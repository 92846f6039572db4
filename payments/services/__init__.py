"""Payment services (writes). Import from here: the modules are split only for size."""

from payments.services.callbacks import payment_callback_receive
from payments.services.core import alert_raise, payment_move
from payments.services.reconciliation import reconcile
from payments.services.refunds import refund_request, refunds_retry_failed, refunds_start_for_dossier, refunds_sweep
from payments.services.start import payment_start
from payments.services.sweeps import dossiers_expire_unpaid, payments_poll_pending
from payments.services.sync import payment_sync

__all__ = [
    "alert_raise",
    "dossiers_expire_unpaid",
    "payment_callback_receive",
    "payment_move",
    "payment_start",
    "payment_sync",
    "payments_poll_pending",
    "reconcile",
    "refund_request",
    "refunds_retry_failed",
    "refunds_start_for_dossier",
    "refunds_sweep",
]
