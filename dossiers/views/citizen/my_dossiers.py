"""My dossiers: the citizen's list, searchable by code or procedure and filterable by status."""

from django.contrib.auth.decorators import login_required

from dossiers import selectors
from dossiers.forms.citizen import MyDossiersFilterForm
from dossiers.views.citizen.shared import PAGE_SIZE, render_page
from portal.api.pagination import CappedPaginator


@login_required
def dossier_list(request):
    form = MyDossiersFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    everything = selectors.dossiers_of_applicant_listed(user=request.user)
    dossiers = selectors.dossiers_filtered(
        everything, search=filters.get("search", ""), status=filters.get("status", "")
    )
    page = CappedPaginator(dossiers, PAGE_SIZE, cap=None, project=selectors.page_objects).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "form": form, "filtered": bool(filters.get("search") or filters.get("status"))}
    return render_page(request, "list.html", {**context, "query_string": query.urlencode()})
