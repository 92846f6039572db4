"""The post office's handheld: officials and trainers push a parcel to its next step or fail its delivery."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from postal.constants import FINAL_STATUSES, ShipmentStatus
from postal.providers.mockpost import simulator
from postal.providers.mockpost.models import Parcel

RECENT = 50


def _may_use_handheld(user) -> bool:
    # Any official or trainer (the post office is simulated for demos and training), never a citizen.
    return user.is_staff or user.staff_roles.exists()


@login_required
@require_http_methods(["GET", "POST"])
def handheld(request, tracking_number: str = ""):
    if not _may_use_handheld(request.user):
        raise PermissionDenied
    parcel = None
    if tracking_number:
        parcel = Parcel.objects.filter(tracking_number=tracking_number).first()
        if parcel is None:
            raise Http404
    if request.method == "POST" and parcel is not None:
        simulator.parcel_step(tracking_number=parcel.tracking_number, fail=request.POST.get("step") == "fail")
        return redirect("mockpost:parcel", tracking_number=parcel.tracking_number)
    context = {
        "parcel": parcel,
        "next_status": ShipmentStatus(simulator.NEXT_STEP[parcel.status]).label if _open(parcel) else "",
        "can_fail": parcel is not None and parcel.status in simulator.FAILABLE,
        "notices": parcel.notices.order_by("created_at", "id") if parcel else [],
        "parcels": Parcel.objects.order_by("-created_at", "-id")[:RECENT],
    }
    return render(request, "mockpost/handheld.html", context)


def _open(parcel) -> bool:
    return parcel is not None and parcel.status not in FINAL_STATUSES
