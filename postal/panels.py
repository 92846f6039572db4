"""The shipments panel on the dossier pages (registered with dossiers.page_panels by PostalConfig)."""

from dossiers.models import Dossier
from postal.selectors import shipments_for_dossier

PANEL_TEMPLATE = "postal/_dossier_shipments.html"


def shipments_panel(dossier: Dossier) -> dict | None:
    shipments = list(shipments_for_dossier(dossier_id=dossier.pk))
    return {"shipments": shipments} if shipments else None
