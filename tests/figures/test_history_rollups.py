"""Generated history through the figures: the rollups rebuilt at the end of a run equal a direct count over
the generated rows, and the KPI API gives the online ratio the counts asked for (issue 10, acceptance 2).

The full-size runs of the acceptance (228,091 dossiers, 10,998 online, in 2020: 4.82%; 106,434 and
13,680 in the first half of 2021: 12.85%) run on PostgreSQL (tests marked `services`); the fast suite
runs the same check at a small scale with exact counts.
"""

from collections import Counter
from datetime import date

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierEvent, Rating
from figures.models import DailyRollup
from payments.constants import PAID_STATUSES, PaymentStatus
from payments.models import Payment
from portal.accounts.constants import Role
from tests import factories
from tests.dossiers.builders import Staff, make_dossier
from tests.figures.conftest import client_for
from tests.figures.test_history import generate, make_agency

URL = "/api/v1/stats/kpis/"


def kpis(agency, date_from: str, date_to: str) -> dict:
    leader = client_for(factories.make_official(role=Role.LEADER, agency=agency))
    response = leader.get(URL, {"agency": agency.code, "from": date_from, "to": date_to})
    assert response.status_code == 200, response.content
    return response.json()


def direct_counts(agency) -> Counter:
    """The rollups' figures counted straight from the rows, with the definitions of figures.rollups."""
    counts = Counter()
    dossiers = Dossier.objects.filter(agency=agency)
    for channel, amount_due in dossiers.exclude(received_at=None).values_list("channel", "amount_due"):
        counts["received"] += 1
        counts[f"received_{channel}"] += 1
        counts["received_with_fee"] += amount_due > 0
    for status, count in Counter(dossiers.values_list("status", flat=True)).items():
        if status in (DossierStatus.REJECTED, DossierStatus.REFUSED):
            counts[status] += count
    counts["completed"] = dossiers.filter(status=DossierStatus.COMPLETED).count()
    counts["supplement_requests"] = (  # moves into the status (a paper attached meanwhile is not one)
        DossierEvent.objects.filter(dossier__agency=agency, to_status=DossierStatus.SUPPLEMENT_REQUESTED)
        .exclude(from_status=DossierStatus.SUPPLEMENT_REQUESTED)
        .count()
    )
    paid = Payment.objects.filter(dossier__agency=agency, status__in=PAID_STATUSES)
    counts["payments_online"] = paid.count()
    counts["payments_online_amount"] = paid.aggregate(total=Sum("amount"))["total"] or 0
    refunded = Payment.objects.filter(dossier__agency=agency, status=PaymentStatus.REFUNDED)
    counts["refunds"] = refunded.count()
    counts["refunds_amount"] = refunded.aggregate(total=Sum("amount"))["total"] or 0
    ratings = Rating.objects.filter(dossier__agency=agency)
    counts["ratings"] = ratings.count()
    counts["rating_score_sum"] = ratings.aggregate(total=Sum("score"))["total"] or 0
    return counts


def rollup_counts(agency) -> Counter:
    rows = DailyRollup.objects.filter(agency=agency)
    counts = Counter()
    for channel in ("online", "counter", "postal"):
        counts[f"received_{channel}"] = rows.filter(channel=channel).aggregate(n=Sum("received"))["n"] or 0
    totals = rows.aggregate(
        **{
            name: Sum(name)
            for name in (
                "received", "received_with_fee", "rejected", "refused", "supplement_requests", "payments_online",
                "payments_online_amount", "refunds", "refunds_amount", "ratings", "rating_score_sum",
                "completed_early", "completed_due_day", "completed_late",
            )
        }
    )  # fmt: skip
    counts.update({name: value or 0 for name, value in totals.items()})
    counts["completed"] = counts.pop("completed_early") + counts.pop("completed_due_day") + counts.pop("completed_late")
    return counts


@pytest.mark.django_db
def test_rollups_rebuilt_at_the_end_equal_a_direct_count_over_the_generated_rows():
    agency = make_agency()
    result = generate(agency, dossiers=400, online=150)
    assert result.rollup_rows > 0
    assert result.date_to >= date(2020, 12, 31)
    assert rollup_counts(agency) == direct_counts(agency)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dossiers", "online", "year", "months", "period", "ratio"),
    [
        (500, 24, 2020, None, ("2020-01-01", "2020-12-31"), 0.048),
        (300, 39, 2021, "1-6", ("2021-01-01", "2021-06-30"), 0.13),
    ],
)
def test_kpi_api_gives_the_online_ratio_asked_for(dossiers, online, year, months, period, ratio):
    agency = make_agency()
    generate(agency, dossiers=dossiers, online=online, year=year, months=months)
    body = kpis(agency, *period)
    assert body["received_total"] == dossiers
    assert body["received_online"] == online
    assert body["online_ratio"] == pytest.approx(ratio)


@pytest.mark.services(needs=("postgres",))
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("dossiers", "online", "year", "months", "period", "percent"),
    [
        (228_091, 10_998, 2020, None, ("2020-01-01", "2020-12-31"), "4.82"),
        (106_434, 13_680, 2021, "1-6", ("2021-01-01", "2021-06-30"), "12.85"),
    ],
)
def test_acceptance_full_size_online_ratio(dossiers, online, year, months, period, percent):
    """Issue 10, acceptance 2: Hà Nam's figures of 2020 and of the first half of 2021, in the API and on the
    dashboard for that scope."""
    agency = make_agency()
    generate(agency, dossiers=dossiers, online=online, year=year, months=months)
    body = kpis(agency, *period)
    assert (body["received_total"], body["received_online"]) == (dossiers, online)
    assert f"{body['online_ratio'] * 100:.2f}" == percent

    page = Client()
    page.force_login(factories.make_official(role=Role.LEADER, agency=agency))
    response = page.get("/figures/", {"agency": agency.code, "from": period[0], "to": period[1]})
    assert response.status_code == 200
    headline = response.context["board"].headline
    assert (headline["received_total"], headline["received_online"]) == (dossiers, online)
    card = f'<span class="figure-value">{percent.replace(".", ",")}%</span>'
    assert card in response.content.decode()


@pytest.mark.django_db
def test_generated_history_and_a_live_day_of_workflow_give_the_direct_count():
    """Acceptance 3: past days come from the rollups the generator rebuilt, today from the rows the workflow
    wrote (its after-commit recomputes never ran here); the KPIs over both equal a count over the rows."""
    agency = make_agency()
    generate(agency, dossiers=300, online=90)
    procedure = agency.procedures.filter(online_level__gte=3, fee=0, charge=0).first()
    staff = Staff(agency)
    for status in ("completed", "completed", "submitted", "processing", "supplement_requested", "rejected"):
        make_dossier(status, procedure=procedure, staff=staff)
    counts = direct_counts(agency)
    body = kpis(agency, "2020-01-01", timezone.localdate().isoformat())
    assert DailyRollup.objects.filter(agency=agency, day=timezone.localdate()).count() == 0
    assert body["received_total"] == counts["received"] and counts["received"] > 300
    assert (body["received_online"], body["received_counter"], body["received_postal"]) == (
        counts["received_online"],
        counts["received_counter"],
        counts["received_postal"],
    )
    assert body["completed_total"] == counts["completed"]
    assert (body["rejected"], body["refused"]) == (counts["rejected"], counts["refused"])
    assert body["supplement_requests"] == counts["supplement_requests"]
    assert (body["payments_online_count"], body["payments_online_amount"]) == (
        counts["payments_online"],
        counts["payments_online_amount"],
    )
    assert (body["refunds_count"], body["ratings_count"]) == (counts["refunds"], counts["ratings"])
