from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Thanh toán")

    def ready(self):
        from django.core import checks

        from dossiers import page_panels, rules, status_receivers
        from payments.checks import check_payment_provider
        from payments.panels import PANEL_TEMPLATE, payments_panel
        from payments.services.refunds import refunds_start_for_dossier

        # A dossier closed without a result gives back what was paid online and cancels open sessions.
        status_receivers.on_entering(rules.CLOSED_WITHOUT_RESULT, refunds_start_for_dossier)
        checks.register(check_payment_provider)
        # The deadline to pay and the e-receipts, on the citizen's and the office's dossier pages.
        page_panels.register(PANEL_TEMPLATE, payments_panel)
