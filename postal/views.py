"""The agency's shipments, for its officials: where each parcel is, which failed or came back."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from dossiers.views.office.shared import Desk, office_required
from postal import selectors
from postal.forms import ShipmentFilterForm

PAGE_SIZE = 25


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
    context = {"desk": desk, "form": form, "page": page, "query_string": query.urlencode(), "nav_section": "office"}
    return render(request, "postal/shipments.html", context)
