"""The payments panel on the dossier pages (registered with dossiers.page_panels by PaymentsConfig):
the deadline to pay online while the dossier waits for it, and the e-receipts of what was paid."""

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from payments.models import Payment
from payments.services.core import payment_expiry_for

PANEL_TEMPLATE = "payments/_dossier_payments.html"


def payments_panel(dossier: Dossier) -> dict | None:
    receipts = list(
        Payment.objects.filter(dossier_id=dossier.pk, receipt_number__isnull=False).order_by("created_at", "id")
    )
    awaiting = dossier.status == DossierStatus.AWAITING_PAYMENT
    if not receipts and not awaiting:
        return None
    return {"deadline": payment_expiry_for(dossier) if awaiting else None, "receipts": receipts}
