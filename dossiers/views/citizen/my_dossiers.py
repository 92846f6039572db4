"""My dossiers: the citizen's list."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from dossiers import selectors
from dossiers.views.citizen.shared import PAGE_SIZE, render_page


@login_required
def dossier_list(request):
    dossiers = selectors.dossiers_of_applicant_listed(user=request.user)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "list.html", {"page": page})
