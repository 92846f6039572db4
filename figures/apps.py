from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "figures"
    verbose_name = _("Số liệu thống kê")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from dossiers import status_receivers
        from dossiers.models import Attachment, Rating
        from figures import receivers
        from figures.cache import figures_changed_receiver
        from figures.rollups import STATUSES_WITH_FIGURES
        from figures.workdays import ordinals_forget
        from payments.models import Payment
        from procedures.models import Agency, CalendarOverride, Procedure

        # Every move that changes a figure recomputes its agency's day after commit.
        status_receivers.on_entering(STATUSES_WITH_FIGURES, receivers.rollups_dossier_entered)
        post_save.connect(receivers.rollups_payment_saved, sender=Payment, dispatch_uid="figures-payment")
        post_save.connect(receivers.rollups_rating_saved, sender=Rating, dispatch_uid="figures-rating")
        post_save.connect(receivers.rollups_attachment_saved, sender=Attachment, dispatch_uid="figures-attachment")
        # The working-day table follows the calendar an admin edits.
        post_save.connect(ordinals_forget, sender=CalendarOverride, dispatch_uid="figures-calendar-saved")
        post_delete.connect(ordinals_forget, sender=CalendarOverride, dispatch_uid="figures-calendar-deleted")
        # Cached figures are forgotten when what they are computed from changes outside the workflow.
        for model in (Procedure, Agency, CalendarOverride):
            post_save.connect(
                figures_changed_receiver, sender=model, dispatch_uid=f"figures-cache-{model.__name__}-saved"
            )
            post_delete.connect(
                figures_changed_receiver, sender=model, dispatch_uid=f"figures-cache-{model.__name__}-deleted"
            )
        m2m_changed.connect(
            figures_changed_receiver, sender=Procedure.agencies.through, dispatch_uid="figures-cache-procedure-agencies"
        )
