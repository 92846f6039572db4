"""The post office's pages on the portal: the agency's shipments for its officials; a citizen's pickup
requests (the post collects a paper dossier from home); the counter registering what a pickup brought."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.forms.delivery import DeliveryForm
from dossiers.forms.schema import form_for_schema
from dossiers.views.office.shared import Desk, forbidden, office_required
from portal.accounts.constants import Role
from portal.accounts.selectors import account_delivery_initial
from portal.errors import NotFoundError, PermissionDeniedError, ServiceError, ValidationFailed
from portal.formatting import local_datetime, vnd
from postal import selectors, services
from postal.forms import PickupForm, ShipmentFilterForm
from procedures import selectors as catalog
from procedures.constants import DeliveryMethod

PAGE_SIZE = 25
REFRESH_COMMUNES = "communes"
ERR_NOT_RECEIVER = gettext_lazy("Chỉ cán bộ tiếp nhận của cơ quan nhận bưu gửi mới tiếp nhận được hồ sơ này.")


@office_required
def shipments(request, desk: Desk):
    if desk.agency is None:
        # An official of several agencies picks the one they work for on the queue first.
        return redirect("office:queue")
    form = ShipmentFilterForm(request.GET)
    values = form.cleaned_data if form.is_valid() else {"state": "", "direction": ""}
    rows = selectors.agency_shipments(
        user=request.user, agency_id=desk.agency.pk, state=values["state"], direction=values["direction"]
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "desk": desk,
        "form": form,
        "page": page,
        "query_string": query.urlencode(),
        "may_register": Role.RECEIVER in desk.roles,
        "nav_section": "office",
    }
    return render(request, "postal/shipments.html", context)


@login_required
def pickup_new(request, code: str):
    try:
        procedure = catalog.procedure_get(code=code)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    agencies = list(procedure.agencies.filter(is_active=True).order_by("name"))
    user = request.user
    initial = account_delivery_initial(user=user)
    if agencies:
        initial["agency"] = agencies[0].code
    if request.method != "POST":
        form = PickupForm(initial=initial, agencies=agencies)
    elif request.POST.get("intent") == REFRESH_COMMUNES:
        # The province changed: offer its communes, keeping what was typed.
        form = PickupForm(initial=request.POST.dict(), agencies=agencies)
    else:
        form = PickupForm(request.POST, agencies=agencies)
        if form.is_valid():
            try:
                shipment = services.pickup_request(
                    applicant=user,
                    procedure_code=procedure.code,
                    agency_code=form.cleaned_data["agency"],
                    address=form.pickup_address(),
                )
            except ServiceError as exc:
                form.add_pickup_errors(exc)
            else:
                messages.success(
                    request,
                    _(
                        "Đã đặt bưu điện đến nhận hồ sơ, số hiệu bưu gửi %(tracking)s. "
                        "Cước %(fee)s đồng trả cho bưu tá khi nhận hồ sơ."
                    )
                    % {"tracking": shipment.tracking_number, "fee": vnd(shipment.fee)},
                )
                return redirect("postal:pickups")
    context = {"procedure": procedure, "form": form, "has_agencies": bool(agencies), "nav_section": "dossiers"}
    status = 400 if request.method == "POST" and form.is_bound and form.errors else 200
    return render(request, "postal/pickup_new.html", context, status=status)


@login_required
def pickups(request):
    page = Paginator(selectors.pickups_of_applicant(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "postal/pickups.html", {"page": page, "query_string": "", "nav_section": "dossiers"})


def _arrival_delivery_initial(shipment, methods) -> dict:
    """The result goes back where the dossier came from, by post, if the procedure sends results by post."""
    home = shipment.address
    postal = DeliveryMethod.POSTAL.value in methods
    return {
        "delivery_method": DeliveryMethod.POSTAL.value if postal else DeliveryMethod.COUNTER.value,
        "province": home.get("province", ""),
        "district": home.get("district", ""),
        "commune": home.get("commune", ""),
        "street": home.get("street", ""),
        "recipient_name": home.get("recipient", ""),
        "recipient_phone": home.get("phone", ""),
    }


@office_required
def pickup_register(request, desk: Desk, tracking_number: str):
    try:
        shipment = selectors.arrived_pickup(user=request.user, tracking_number=tracking_number)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if Role.RECEIVER not in desk.roles_by_agency.get(shipment.agency_id, set()):
        return forbidden(request, ERR_NOT_RECEIVER)
    if shipment.dossier_id is not None:
        return redirect("office:detail", dossier_id=shipment.dossier_id)
    procedure = shipment.procedure
    methods = procedure.delivery_methods
    refreshing = request.method == "POST" and request.POST.get("intent") == REFRESH_COMMUNES
    data = request.POST if request.method == "POST" and not refreshing else None
    if refreshing:
        # The province changed: offer its communes, keeping everything typed so far.
        typed = request.POST.dict()
        eform = form_for_schema(procedure.form_schema, initial=typed)
        typed_delivery = {key.removeprefix("delivery-"): value for key, value in typed.items()}
        delivery = DeliveryForm(initial=typed_delivery, prefix="delivery", methods=methods)
    else:
        eform = form_for_schema(procedure.form_schema, data=data)
        initial = _arrival_delivery_initial(shipment, methods)
        delivery = DeliveryForm(data, prefix="delivery", methods=methods, initial=initial)
    problem = ""
    if data is not None and eform.is_valid() and delivery.is_valid():
        try:
            dossier = services.pickup_register_arrival(
                official=request.user,
                tracking_number=shipment.tracking_number,
                form_data=eform.answers(),
                delivery_method=delivery.cleaned_data["delivery_method"],
                delivery_address=delivery.address(),
            )
        except PermissionDeniedError as exc:
            return forbidden(request, exc.message)
        except ValidationFailed as exc:
            eform.add_service_errors(exc.errors.get("form_data", {}))
            delivery.add_service_errors(exc)
        except ServiceError as exc:
            problem = exc.message
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s từ bưu gửi %(tracking)s. Ngày hẹn trả kết quả: %(due)s.")
                % {"code": dossier.code, "tracking": shipment.tracking_number, "due": local_datetime(dossier.due_at)},
            )
            return redirect("office:detail", dossier_id=dossier.pk)
    context = {
        "desk": desk,
        "shipment": shipment,
        "eform": eform,
        "delivery": delivery,
        "problem": problem,
        "has_errors": data is not None,
        "nav_section": "office",
    }
    return render(request, "postal/pickup_register.html", context, status=400 if data is not None else 200)
