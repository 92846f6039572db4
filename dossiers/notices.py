"""What the applicant is told when their dossier moves: SMS, e-mail and an in-app notice."""

from dossiers import rules
from dossiers.models import Dossier, DossierEvent
from portal.formatting import local_datetime
from portal.notifications.services import message_send


def status_notice_text(dossier: Dossier, event: DossierEvent) -> str:
    parts = [f"Hồ sơ {dossier.code or ''} ({dossier.procedure.name}): {dossier.get_status_display()}."]
    if event.public_note:
        parts.append(event.public_note)
    if dossier.due_at and dossier.status in rules.CLOCK_RUNNING_STATUSES:
        parts.append(f"Ngày hẹn trả: {local_datetime(dossier.due_at, 'd/m/Y H:i')}.")
    return " ".join(parts)


def dossier_notify_applicant(*, dossier: Dossier, event: DossierEvent) -> None:
    """Queue the notices in the caller's transaction; the outbox delivers them after commit."""
    applicant = dossier.applicant
    body = status_notice_text(dossier, event)
    subject = f"Cổng Dịch vụ công: hồ sơ {dossier.code or ''}"
    message_send(channel="sms", recipient=applicant.phone, body=body, user=applicant)
    message_send(channel="app", recipient=f"user:{applicant.pk}", subject=subject, body=body, user=applicant)
    if applicant.email:
        message_send(channel="email", recipient=applicant.email, subject=subject, body=body, user=applicant)
