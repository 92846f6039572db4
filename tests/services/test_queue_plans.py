"""On PostgreSQL, each queue view's page query reads the agency's rows in index order: an index scan
(or index-only scan) on a queue index, and no Sort node anywhere in the plan.

A few thousand dossiers over two agencies, every status, appointments spread over a year, half of the
received ones assigned; ANALYZE first, so the planner decides on real statistics (no enable_* switch).
"""

import json
import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dossiers import selectors
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from tests import factories
from tests.dossiers.builders import Staff, copy_dossiers, make_dossier

pytestmark = [pytest.mark.services(needs=("postgres",)), pytest.mark.django_db]

ROWS_HERE, ROWS_ELSEWHERE = 3000, 1000
QUEUE_VIEWS = [
    {},
    {"tab": "new"},
    {"tab": "processing"},
    {"tab": "supplement"},
    {"tab": "approval"},
    {"tab": "result"},
    {"tab": "delivery"},
    {"tab": "overdue"},
    {"status": "processing"},
    {"status": "result_ready,in_delivery"},
    {"overdue": True},
    {"due_soon": True},
    {"assignee": "me"},
    {"assignee": "none"},
]
QUEUE_INDEXES = {
    "dossier_queue_all",
    "dossier_queue_status",
    "dossier_queue_result",
    "dossier_queue_deadline",
    "dossier_queue_assignee",
    "dossier_queue_unassigned",
}


@pytest.fixture
def spread():
    """Dossiers at two agencies in every status (copies of one built through the services)."""
    rng = random.Random(11)
    now = timezone.now()
    statuses = [status for status in DossierStatus if status != DossierStatus.DRAFT]
    here = Staff(factories.ProcedureFactory(agencies=[factories.AgencyFactory()]).agencies.first())
    elsewhere = Staff(factories.ProcedureFactory(agencies=[factories.AgencyFactory()]).agencies.first())
    for staff, rows in ((here, ROWS_HERE), (elsewhere, ROWS_ELSEWHERE)):

        def vary(dossier, staff=staff):
            dossier.status = rng.choice([*statuses, DossierStatus.DRAFT])
            # A year of appointments, a tenth of them in the next two days (the due-soon view).
            days = rng.uniform(0, 2) if rng.random() < 0.1 else rng.uniform(-300, 30)
            dossier.due_at = now + timedelta(days=days)
            dossier.submitted_at = dossier.due_at - timedelta(days=10)
            dossier.assignee = staff.processor if rng.random() < 0.5 else None
            dossier.clock_paused_at = now if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED else None

        template = make_dossier("processing", procedure=staff.agency.procedures.first(), staff=staff)
        copy_dossiers(template, rows, vary=vary)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_dossier")
    return here


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def page_plan(queryset) -> dict:
    sql, params = selectors.queue_rows(queryset)[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        value = cursor.fetchone()[0]
    return (json.loads(value) if isinstance(value, str) else value)[0]["Plan"]


@pytest.mark.parametrize("queue_view", QUEUE_VIEWS, ids=lambda view: "&".join(f"{k}={v}" for k, v in view.items()))
def test_each_queue_page_is_read_in_index_order_without_sorting(spread, queue_view):
    caller = spread.processor if queue_view.get("assignee") == "me" else spread.receiver
    queryset = selectors.agency_queue(user=caller, agency_ids=[spread.agency.pk], **queue_view)
    plan = page_plan(queryset)
    kinds = [node["Node Type"] for node in nodes(plan)]
    assert not [kind for kind in kinds if "Sort" in kind], json.dumps(plan, indent=1)
    scans = [node for node in nodes(plan) if node.get("Relation Name") == "dossiers_dossier"]
    assert len(scans) == 1, json.dumps(plan, indent=1)
    assert scans[0]["Node Type"] in ("Index Scan", "Index Only Scan"), json.dumps(plan, indent=1)
    assert scans[0]["Index Name"] in QUEUE_INDEXES
    assert queryset.count() > 50 or queue_view, "the view must have enough rows for the plan to matter"


def test_the_tab_counts_read_no_dossier_row_but_the_overdue_ones(spread, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        counts = selectors.agency_queue_counts(agency_ids=[spread.agency.pk])
    here = Dossier.objects.filter(agency=spread.agency)
    assert counts["processing"] == here.filter(status=DossierStatus.PROCESSING).count()
    assert counts["result"] == here.filter(status__in=["result_ready", "in_delivery"]).count()
    assert counts["overdue"] == here.filter(selectors.overdue_q(timezone.now())).count()
