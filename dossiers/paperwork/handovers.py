"""Form 05's rows: each hand-over of a dossier from its reception on — who gave it, who took it, when,
the appointment then in force, and whether the step came before, on or after it."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from dossiers import workflow
from dossiers.constants import Actor, DossierStatus
from dossiers.deadlines import appointment_date
from dossiers.models import Dossier, DossierEvent
from portal.formatting import local_datetime

EARLY, ON_TIME, LATE, NO_APPOINTMENT = "Trước hạn", "Đúng hạn", "Quá hạn", "—"


@dataclass(frozen=True)
class HandOver:
    step: str
    given_by: str
    taken_by: str
    at: datetime
    due_at: datetime | None

    @property
    def timeliness(self) -> str:
        if self.due_at is None:
            return NO_APPOINTMENT
        if self.at > self.due_at:
            return LATE
        same_day = timezone.localtime(self.at).date() == timezone.localtime(self.due_at).date()
        return ON_TIME if same_day else EARLY

    def cells(self) -> list[str]:
        return [self.step, self.given_by, self.taken_by, local_datetime(self.at), local_datetime(self.due_at),
                self.timeliness]  # fmt: skip


def _who(event: DossierEvent, dossier: Dossier) -> str:
    if event.actor_role == Actor.SYSTEM:
        return str(Actor.SYSTEM.label)
    name = event.actor.full_name if event.actor else dossier.applicant_name
    return f"{name} ({Actor(event.actor_role).label})" if event.actor_role in Actor.values else name


def _is_hand_over(event: DossierEvent) -> bool:
    """A move to another status, or a dossier given to a processor (the assignment's recorded effect)."""
    return event.from_status != event.to_status or "assignee" in (event.data or {})


def dossier_hand_overs(dossier: Dossier) -> list[HandOver]:
    """From the dossier's events (prefetched, in order); nothing before it was received."""
    if dossier.received_at is None:
        return []
    events = [e for e in dossier.events.all() if e.created_at >= dossier.received_at]
    due = appointment_date(received_at=dossier.received_at, processing_days=dossier.procedure.processing_days)
    moves: list[tuple[DossierEvent, datetime | None]] = []
    for event in events:
        if (event.data or {}).get("due_at"):  # a supplement answered or an apology moved the appointment
            due = datetime.fromisoformat(event.data["due_at"])
        if _is_hand_over(event):
            moves.append((event, due))
    rows = []
    for index, (event, due_at) in enumerate(moves):
        if index + 1 < len(moves):
            taken_by = _who(moves[index + 1][0], dossier)
        elif event.to_status == DossierStatus.COMPLETED:
            taken_by = f"{dossier.applicant_name} ({Actor.APPLICANT.label})"
        else:
            taken_by = "—"
        rows.append(HandOver(workflow.event_label(event), _who(event, dossier), taken_by, event.created_at, due_at))
    return rows
