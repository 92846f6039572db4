from django.core.cache import cache
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from figures.selectors import most_used_procedure_ids
from portal import tour
from portal.jobs.health import OK, health_report
from procedures import selectors
from procedures.constants import GovLevel, OnlineLevel


def catalog_counts() -> dict:
    """Figures for the home page, in one query over the catalog the public can see."""
    by_level = {level.value: Count("id", filter=Q(gov_level=level.value)) for level in GovLevel}
    counts = selectors.procedure_catalog().aggregate(
        total=Count("id"), level4=Count("id", filter=Q(online_level=OnlineLevel.LEVEL_4)), **by_level
    )
    counts["gov_levels"] = [(level, counts.pop(level.value)) for level in GovLevel]
    counts["level4_percent"] = round(100 * counts["level4"] / counts["total"]) if counts["total"] else 0
    return counts


# The ranking moves slowly: it is read from the rollups at most every ten minutes.
MOST_USED_CACHE_KEY = "home:most-used-procedures"
MOST_USED_CACHE_SECONDS = 600
MOST_USED_COUNT = 6


def most_used_procedures() -> list:
    ids = cache.get_or_set(
        MOST_USED_CACHE_KEY, lambda: most_used_procedure_ids(limit=MOST_USED_COUNT), MOST_USED_CACHE_SECONDS
    )
    by_id = {p.pk: p for p in selectors.procedure_catalog_listed().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def home(request):
    return render(request, "portal/home.html", {"counts": catalog_counts(), "most_used": most_used_procedures()})


@require_GET
@never_cache
def healthz(request):
    """No login: for load balancers and monitors. 503 as soon as one part is not ok."""
    report = health_report()
    healthy = all(state == OK for state in report.values())
    return JsonResponse(report, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})


@require_POST
def tour_toggle(request):
    """Shows (show=1) or hides the guided tour for this browser's session, then back to the page."""
    request.session[tour.SESSION_KEY] = tour.ON if request.POST.get("show") == "1" else tour.OFF
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    return redirect(next_url)
