from django.db.models import Count, Q
from django.shortcuts import render

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


def home(request):
    return render(request, "portal/home.html", {"counts": catalog_counts()})
