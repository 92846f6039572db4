"""Yearly targets per agency: kept in the admin, measured against the figures."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from figures.constants import TargetMetric
from figures.models import Target
from figures.scope import Scope
from figures.selectors import target_progress, year_progress
from tests import factories

pytestmark = pytest.mark.django_db


def test_progress_says_actual_against_target_and_whether_it_is_met():
    agency = factories.AgencyFactory()
    Target.objects.create(agency=agency, year=2026, metric=TargetMetric.ONLINE_RATIO, percent=20)
    Target.objects.create(agency=agency, year=2026, metric=TargetMetric.LEVEL4_COVERAGE, percent=50)
    Target.objects.create(agency=agency, year=2026, metric=TargetMetric.ON_TIME_RATIO, percent=0)

    rows = target_progress(
        agency_id=agency.pk, year=2026, values={"online_ratio": 0.1285, "level4_coverage": 0.5, "on_time_ratio": None}
    )

    assert [(r["metric"], r["target"], r["actual"], r["met"], r["progress"]) for r in rows] == [
        ("level4_coverage", 0.5, 0.5, True, 1.0),
        ("on_time_ratio", 0.0, None, False, None),
        ("online_ratio", 0.2, 0.1285, False, pytest.approx(0.6425)),
    ]


def test_year_progress_measures_the_year_so_far_for_the_scope_agency():
    agency = factories.AgencyFactory()
    procedure = factories.ProcedureFactory(agencies=[agency], online_level=4)
    Target.objects.create(agency=agency, year=2026, metric=TargetMetric.LEVEL4_COVERAGE, percent=30)
    scope = Scope(agency_ids=frozenset({agency.pk}), focus_agency_id=agency.pk)

    (row,) = year_progress(scope=scope, year=2026)

    assert row["actual"] == 1.0 and row["met"] is True and procedure.online_level == 4
    assert year_progress(scope=Scope(agency_ids=None), year=2026) == []
    next_year = date.today().year + 1
    Target.objects.create(agency=agency, year=next_year, metric=TargetMetric.ONLINE_RATIO, percent=20)
    (future,) = year_progress(scope=scope, year=next_year)
    assert future["actual"] is None and future["met"] is False


def test_one_target_per_agency_year_and_metric_within_0_and_100():
    agency = factories.AgencyFactory()
    Target.objects.create(agency=agency, year=2026, metric=TargetMetric.ONLINE_RATIO, percent=20)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(agency=agency, year=2026, metric=TargetMetric.ONLINE_RATIO, percent=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(agency=agency, year=2026, metric=TargetMetric.ON_TIME_RATIO, percent=101)


def test_admins_edit_targets_in_the_admin(client):
    admin = factories.make_official(role="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    agency = factories.AgencyFactory()
    client.force_login(admin)

    response = client.post(
        "/admin/figures/target/add/",
        {"agency": agency.pk, "year": 2026, "metric": TargetMetric.ONLINE_RATIO, "percent": "20"},
    )

    assert response.status_code == 302
    assert Target.objects.get().percent == 20
    assert client.get("/admin/figures/target/").status_code == 200
    assert "20" in client.get("/admin/figures/target/?year=2026").content.decode()
