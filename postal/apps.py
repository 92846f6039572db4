from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "postal"
    verbose_name = "Bưu chính công ích"

    def ready(self):
        from django.core import checks

        from dossiers import page_panels, status_receivers
        from dossiers.constants import DossierStatus
        from postal.checks import check_courier_provider
        from postal.panels import PANEL_TEMPLATE, shipments_panel
        from postal.services import shipment_create_outbound

        # Shipping a result books its parcel with the courier, inside the same move.
        status_receivers.on_entering({DossierStatus.IN_DELIVERY}, shipment_create_outbound)
        page_panels.register(PANEL_TEMPLATE, shipments_panel)
        checks.register(check_courier_provider)
