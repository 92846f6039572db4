from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self):
        from dossiers import rules, status_receivers
        from payments.services.refunds import refunds_start_for_dossier

        # A dossier closed without a result gives back what was paid online and cancels open sessions.
        status_receivers.on_entering(rules.CLOSED_WITHOUT_RESULT, refunds_start_for_dossier)
