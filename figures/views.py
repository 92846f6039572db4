"""The leaders' dashboard: the figures of a scope and period as charts, each with its table and exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from figures.dashboard import TABLE_KEYS, dashboard_build, visible_agencies
from figures.exports import table_csv, table_xlsx
from figures.forms import DashboardFilterForm
from figures.scope import FiguresQuery, figures_query_parse, today
from portal.errors import PermissionDeniedError, ServiceError

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", table_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", table_xlsx),
}


def _forbidden(request, exc):
    return render(request, "figures/forbidden.html", {"message": exc.message}, status=403)


@login_required
def dashboard(request):
    try:
        agencies = visible_agencies(user=request.user)
    except PermissionDeniedError as exc:
        return _forbidden(request, exc)
    problem = None
    try:
        query = figures_query_parse(request.GET)
    except ServiceError as exc:
        problem = exc
        current = today()
        query = FiguresQuery(date_from=current.replace(month=1, day=1), date_to=current)
    try:
        board = dashboard_build(user=request.user, query=query, rank_level=request.GET.get("rank_level", ""))
    except PermissionDeniedError as exc:
        return _forbidden(request, exc)
    initial = {
        "from": query.date_from,
        "to": query.date_to,
        "agency": query.agency.code if query.agency else "",
        "rank_level": board.rank_level,
    }
    form = DashboardFilterForm(initial=initial, agencies=agencies, levels=board.levels)
    if problem is not None:
        form.show_errors(problem)
    params = request.GET.copy()
    context = {
        "board": board,
        "form": form,
        "tables": [board.tables[key] for key in TABLE_KEYS if key in board.tables],
        "export_query": params.urlencode(),
        "nav_section": "figures",
    }
    return render(request, "figures/dashboard.html", context, status=400 if problem else 200)


@login_required
def export(request, key: str, fmt: str):
    if fmt not in EXPORTS or key not in TABLE_KEYS:
        raise Http404
    try:
        query = figures_query_parse(request.GET)
        board = dashboard_build(user=request.user, query=query, rank_level=request.GET.get("rank_level", ""))
    except PermissionDeniedError as exc:
        return _forbidden(request, exc)
    except ServiceError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    table = board.tables.get(key)
    if table is None:
        raise Http404(_("Bảng này không có số liệu trong phạm vi đã chọn."))
    content_type, write = EXPORTS[fmt]
    response = HttpResponse(write(table), content_type=content_type)
    filename = f"so-lieu-{key}-{query.date_from:%Y%m%d}-{query.date_to:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
