"""The agency queue: tabs with counts, search and filters, and the choice of agency for officials of several."""

from django.shortcuts import redirect

import portal.clock as clock
from dossiers import selectors
from dossiers.forms.office import TABS, QueueFilterForm
from dossiers.views.office.shared import SESSION_AGENCY, Desk, office_required, render_page
from portal.accounts.constants import Role
from portal.api.pagination import CappedPaginator

PAGE_SIZE = 25


@office_required
def queue(request, desk: Desk):
    if "agency" in request.GET:
        return _choose_agency(request, desk)
    if desk.agency is None:
        return render_page(request, "choose_agency.html", {"desk": desk})
    form = QueueFilterForm(request.GET)
    values = form.cleaned_data if form.is_valid() else {"tab": "", "search": "", "assignee": "", "due_soon": False}
    # The desk has checked the official's roles at this agency: its queue is theirs to read.
    agency_ids = [desk.agency.pk]
    dossiers = selectors.agency_queue(
        user=request.user,
        agency_ids=agency_ids,
        tab=values["tab"],
        due_soon=values["due_soon"] or None,
        assignee=values["assignee"],
        search=values["search"],
    )
    paginator = CappedPaginator(dossiers, PAGE_SIZE, project=selectors.page_objects)
    page = paginator.get_page(request.GET.get("page"))
    counts = selectors.agency_queue_counts(agency_ids=agency_ids)
    now = clock.now()
    rows = [
        {"dossier": d, "overdue": selectors.is_overdue(d, now=now), "due_soon": selectors.is_due_soon(d, now=now)}
        for d in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "desk": desk,
        "form": form,
        "tab": values["tab"],
        "tabs": [
            (name, label, counts.get(name), _tab_href(query, name))
            for name, label in TABS
            if name not in selectors.TABS_SHOWN_WHEN_FILLED or counts.get(name) or name == values["tab"]
        ],
        "page": page,
        "rows": rows,
        "query_string": query.urlencode(),
        "can_register": Role.RECEIVER in desk.roles,
    }
    return render_page(request, "queue.html", context)


def _tab_href(query, tab: str) -> str:
    """The same search and filters on another tab."""
    query = query.copy()
    query.pop("tab", None)
    if tab:
        query["tab"] = tab
    return f"?{query.urlencode()}"


def _choose_agency(request, desk: Desk):
    chosen = next((a for a in desk.agencies if a.code == request.GET["agency"]), None)
    if chosen is None:
        return render_page(request, "choose_agency.html", {"desk": desk}, status=404)
    request.session[SESSION_AGENCY] = chosen.pk
    return redirect("office:queue")
