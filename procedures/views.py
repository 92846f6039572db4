"""Public catalog pages: search with filters, and one procedure's detail."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from portal.errors import NotFoundError
from procedures import selectors
from procedures.constants import DELIVERY_METHODS_BY_LEVEL, ONLINE_LEVEL_SHORT_NAMES, ONLINE_SERVICE_KINDS
from procedures.filters import ProcedureFilterSet

PAGE_SIZE = 20


def catalog(request):
    filterset = ProcedureFilterSet(request.GET, queryset=selectors.procedure_catalog())
    procedures = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/catalog.html",
        {"filter": filterset, "page": page, "query_string": query.urlencode(), "level_names": ONLINE_LEVEL_SHORT_NAMES},
    )


def detail(request, code: str):
    try:
        procedure = selectors.procedure_get(code=code)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    context = {
        "procedure": procedure,
        "level_name": ONLINE_LEVEL_SHORT_NAMES[procedure.online_level],
        "service_kind": ONLINE_SERVICE_KINDS[procedure.online_level],
        "delivery_labels": [
            method.label
            for method in DELIVERY_METHODS_BY_LEVEL[procedure.online_level]
            if method.value in procedure.delivery_methods
        ],
        "online_saving": procedure.total_fee - procedure.online_total_fee,
    }
    return render(request, "procedures/detail.html", context)


def form_template_download(request, code: str, template_id: int):
    """A blank form to fill in and bring to the counter, as an attachment (never shown inline)."""
    try:
        template = selectors.form_template_get(code=code, template_id=template_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    response = FileResponse(
        template.file.open("rb"), as_attachment=True, filename=template.file_name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
