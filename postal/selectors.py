"""Reads: a dossier's shipments with their steps, for the API and the dossier page; an agency's shipments."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.roles import official_agency_ids
from portal.errors import NotFoundError
from postal.constants import FINAL_STATUSES, ShipmentStatus
from postal.models import Shipment, ShipmentEvent

ERR_DOSSIER_NOT_FOUND = gettext_noop("Không tìm thấy hồ sơ.")


def _with_events(queryset: QuerySet[Shipment]) -> QuerySet[Shipment]:
    return queryset.prefetch_related(Prefetch("events", queryset=ShipmentEvent.objects.order_by("occurred_at", "id")))


def shipments_of_dossier(*, dossier_id: int, user) -> QuerySet[Shipment]:
    """The shipments of a dossier the caller applied for or whose agency they work at; 404 otherwise."""
    visible = Q(applicant=user) | (Q(agency_id__in=official_agency_ids(user=user)) & ~Q(status=DossierStatus.DRAFT))
    if not Dossier.objects.filter(visible, pk=dossier_id).exists():
        raise NotFoundError(_(ERR_DOSSIER_NOT_FOUND))
    return shipments_for_dossier(dossier_id=dossier_id)


def shipments_for_dossier(*, dossier_id: int) -> QuerySet[Shipment]:
    """For a page that has already checked who may see the dossier."""
    return _with_events(Shipment.objects.filter(dossier_id=dossier_id)).order_by("created_at", "id")


# The shipments page's filters: parcels still on their way, and the two ways a delivery goes wrong.
SHIPMENT_STATES = {
    "in_transit": Q(status__in=sorted(frozenset(ShipmentStatus) - FINAL_STATUSES - {ShipmentStatus.FAILED})),
    "failed": Q(status=ShipmentStatus.FAILED),
    "returned": Q(status=ShipmentStatus.RETURNED),
    "delivered": Q(status=ShipmentStatus.DELIVERED),
}


def agency_shipments(*, user, agency_id: int, state: str = "", direction: str = "") -> QuerySet[Shipment]:
    """The shipments of one of the caller's agencies (none of another's), newest first."""
    queryset = Shipment.objects.filter(
        dossier__agency_id=agency_id, dossier__agency_id__in=official_agency_ids(user=user)
    )
    if state in SHIPMENT_STATES:
        queryset = queryset.filter(SHIPMENT_STATES[state])
    if direction:
        queryset = queryset.filter(direction=direction)
    return queryset.select_related("dossier").order_by("-created_at", "-id")
