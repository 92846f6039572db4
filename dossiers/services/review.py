"""Workflow actions after submission, by officials, the applicant or the system.

Each action locks the dossier row and hands it to workflow.transition, which checks the caller
against the transition table, applies the row's effects, writes the event and queues the notices
that go out only after commit.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers import rules, workflow
from dossiers.constants import Actor
from dossiers.effects import ActionInput
from dossiers.models import Dossier
from dossiers.roles import actor_roles
from portal.errors import NotFoundError

ERR_NOT_FOUND = gettext_noop("Không tìm thấy hồ sơ.")

__all__ = ["ActionInput", "dossier_act", "dossier_act_as_system", "dossier_visible_to"]


def dossier_visible_to(*, dossier_id, user, lock: bool = False) -> Dossier:
    """The dossier if the caller is its applicant or an official of its agency; 404 otherwise."""
    queryset = Dossier.objects.select_related("procedure", "agency", "applicant")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    dossier = queryset.filter(pk=dossier_id).first()
    roles = rules.roles_that_see(dossier, actor_roles(user=user, dossier=dossier)) if dossier else frozenset()
    if not roles:
        raise NotFoundError(_(ERR_NOT_FOUND))
    return dossier


@transaction.atomic
def dossier_act(*, dossier_id: int, user, action: str, data: ActionInput | None = None) -> Dossier:
    dossier = dossier_visible_to(dossier_id=dossier_id, user=user, lock=True)
    roles = actor_roles(user=user, dossier=dossier)
    workflow.transition(dossier, action=action, actor=user, actor_roles=roles, data=data)
    return dossier


@transaction.atomic
def dossier_act_as_system(*, dossier_id: int, action: str, note: str = "", amount: int | None = None) -> Dossier:
    """A move the portal makes by itself (payment confirmed or expired, a parcel delivered)."""
    dossier = (
        Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "applicant").get(pk=dossier_id)
    )
    data = ActionInput(note=note, amount=amount)
    workflow.transition(dossier, action=action, actor=None, actor_roles=frozenset({Actor.SYSTEM}), data=data)
    return dossier
