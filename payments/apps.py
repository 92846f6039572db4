from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self):
        from django.core import checks

        from dossiers import rules, status_receivers
        from payments.checks import check_payment_provider
        from payments.services.refunds import refunds_start_for_dossier

        # A dossier closed without a result gives back what was paid online and cancels open sessions.
        status_receivers.on_entering(rules.CLOSED_WITHOUT_RESULT, refunds_start_for_dossier)
        checks.register(check_payment_provider)
