"""My dossiers: the citizen's list."""

from django.contrib.auth.decorators import login_required

from dossiers import selectors
from dossiers.views.citizen.shared import PAGE_SIZE, render_page
from portal.api.pagination import CappedPaginator


@login_required
def dossier_list(request):
    dossiers = selectors.dossiers_of_applicant_listed(user=request.user)
    page = CappedPaginator(dossiers, PAGE_SIZE, cap=None, project=selectors.page_objects).get_page(
        request.GET.get("page")
    )
    return render_page(request, "list.html", {"page": page})
