"""Reads: a dossier's shipments with their steps, for the API and the dossier page; an agency's shipments."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.roles import official_agency_ids
from portal.errors import NotFoundError
from postal.constants import FINAL_STATUSES, ShipmentDirection, ShipmentStatus
from postal.models import Shipment, ShipmentEvent

ERR_DOSSIER_NOT_FOUND = gettext_noop("Không tìm thấy hồ sơ.")
ERR_PICKUP_NOT_FOUND = gettext_noop("Không có yêu cầu thu gom với số hiệu này.")


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


# The shipments page's filters: parcels still on their way, the two ways a delivery goes wrong, and
# pickups the post has brought to the counter that nobody has registered yet.
SHIPMENT_STATES = {
    "in_transit": Q(status__in=sorted(frozenset(ShipmentStatus) - FINAL_STATUSES - {ShipmentStatus.FAILED})),
    "failed": Q(status=ShipmentStatus.FAILED),
    "returned": Q(status=ShipmentStatus.RETURNED),
    "delivered": Q(status=ShipmentStatus.DELIVERED),
    "arrived": Q(direction=ShipmentDirection.INBOUND, status=ShipmentStatus.DELIVERED, dossier__isnull=True),
}


def agency_shipments(*, user, agency_id: int, state: str = "", direction: str = "") -> QuerySet[Shipment]:
    """The shipments of one of the caller's agencies (none of another's), newest first."""
    if agency_id not in official_agency_ids(user=user):
        return Shipment.objects.none()
    queryset = Shipment.objects.filter(agency_id=agency_id)
    if state in SHIPMENT_STATES:
        queryset = queryset.filter(SHIPMENT_STATES[state])
    if direction:
        queryset = queryset.filter(direction=direction)
    return queryset.select_related("dossier", "applicant", "procedure").order_by("-created_at", "-id")


def pickups_of_applicant(*, user) -> QuerySet[Shipment]:
    """The pickups a citizen asked for, newest first, with their steps."""
    queryset = Shipment.objects.filter(applicant=user, direction=ShipmentDirection.INBOUND)
    return _with_events(queryset.select_related("procedure", "agency", "dossier")).order_by("-created_at", "-id")


def arrived_pickup(*, user, tracking_number: str) -> Shipment:
    """A pickup of one of the caller's agencies, for the counter to register; 404 for anyone else's."""
    shipment = (
        Shipment.objects.filter(
            tracking_number=tracking_number,
            direction=ShipmentDirection.INBOUND,
            agency_id__in=official_agency_ids(user=user),
        )
        .select_related("applicant", "procedure", "agency", "dossier")
        .first()
    )
    if shipment is None:
        raise NotFoundError(_(ERR_PICKUP_NOT_FOUND))
    return shipment
