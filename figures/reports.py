"""The API's answers: a caller's query resolved to the scope they may see, then the selectors' figures."""

from dataclasses import replace

from figures import selectors
from figures.scope import AgencyTree, FiguresQuery, Scope, figures_scope
from figures.service_index import service_index, service_index_ranking


def _period(query: FiguresQuery) -> dict:
    return {"from": query.date_from, "to": query.date_to}


def _scope_summary(query: FiguresQuery, scope: Scope) -> dict:
    return {
        "agency": query.agency.code if query.agency else None,
        "agencies": None if scope.agency_ids is None else len(scope.agency_ids),
        "gov_level": query.gov_level,
        "field": query.field.code if query.field else None,
        "procedure": query.procedure.code if query.procedure else None,
    }


def kpi_report(*, user, query: FiguresQuery) -> dict:
    """KPIs of the query's scope and period, with the targets of the scope's agency for the year the period ends in,
    measured on the same period."""
    scope = figures_scope(user=user, query=query)
    values = selectors.kpis(scope=scope, date_from=query.date_from, date_to=query.date_to)
    targets = []
    if scope.focus_agency_id is not None:
        targets = selectors.target_progress(agency_id=scope.focus_agency_id, year=query.date_to.year, values=values)
    return {**_period(query), "scope": _scope_summary(query, scope), **values, "targets": targets}


def service_index_report(*, user, query: FiguresQuery) -> dict:
    scope = figures_scope(user=user, query=query)
    index = service_index(scope=scope, date_from=query.date_from, date_to=query.date_to)
    return {**_period(query), "agency": query.agency.code if query.agency else None, **index}


def service_index_ranking_report(*, user, query: FiguresQuery) -> dict:
    """Agencies at the query's government level inside the caller's scope (and the asked agency), ranked."""
    tree = AgencyTree.load()
    scope = figures_scope(user=user, query=replace(query, gov_level=""), tree=tree)
    rows = service_index_ranking(
        scope=scope, gov_level=query.gov_level, date_from=query.date_from, date_to=query.date_to, tree=tree
    )
    return {**_period(query), "gov_level": query.gov_level, "results": rows}
