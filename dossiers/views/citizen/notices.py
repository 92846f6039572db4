"""The citizen's in-app notices."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from dossiers.views.citizen.shared import PAGE_SIZE, render_page
from portal.notifications.selectors import in_app_notices


@login_required
def notice_list(request):
    notices = in_app_notices(user=request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "notices.html", {"page": page})
