"""How long the figures take on a big history, on a throw-away PostgreSQL database.

    DATABASE_URL=postgres://... .venv/bin/python bench/rollups_bench.py [--dossiers 1000000] [--agencies 60] [--keep]

Loads N dossiers of one year (2025) into a province of A agencies with SQL (generate_series): channels,
completions early / on time / late, supplement requests (some twice), apology slips, online payments,
refunds, ratings, with their events; then times `rebuild_rollups` for the year, one agency-day recompute
(what the after-commit task does), the 7 days the periodic reconciliation recomputes, and the
province-year KPIs, service index and league table read from the rollups. `--keep` keeps the database
(test_<name>) and its rows for the next run. Prints, asserts nothing.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

YEAR_START, YEAR_END = date(2025, 1, 1), date(2025, 12, 31)


def timed(label, call):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - started
    print(f"{label:<46} {elapsed:8.2f} s  {len(queries.captured_queries):4d} queries")
    return result


def build_catalog(agency_count: int):
    from procedures.constants import GovLevel, OnlineLevel
    from tests import factories

    province = factories.AgencyFactory(code="000.00.00.H26", name="UBND tỉnh", gov_level=GovLevel.PROVINCE)
    agencies = [
        factories.AgencyFactory(code=f"000.{n:02d}.{n % 7:02d}.H26", gov_level=GovLevel.COMMUNE, parent=province)
        for n in range(1, agency_count)
    ]
    agencies.append(province)
    procedures = [
        factories.ProcedureFactory(
            code=f"2.{n:06d}",
            agencies=agencies,
            online_level=(OnlineLevel.LEVEL_2, OnlineLevel.LEVEL_3, OnlineLevel.LEVEL_4)[n % 3],
            fee=50_000 if n % 3 == 2 else 0,
            processing_days=3 + n % 5,
        )
        for n in range(30)
    ]
    return province, agencies, procedures


LOAD_DOSSIERS = """
INSERT INTO dossiers_dossier (public_id, code, channel, status, form_data, delivery_method, delivery_address,
  amount_due, amount_paid, created_at, updated_at, submitted_at, received_at, due_at, completed_at, result_file,
  agency_id, applicant_id, procedure_id, applicant_id_number, applicant_name, applicant_phone, on_behalf_note)
SELECT gen_random_uuid(), 'BENCH-' || i,
  CASE WHEN i %% 100 < 12 THEN 'online' WHEN i %% 100 < 15 THEN 'postal' ELSE 'counter' END,
  CASE WHEN i %% 53 = 0 THEN 'processing' WHEN i %% 97 = 0 THEN 'rejected' WHEN i %% 89 = 0 THEN 'refused'
       ELSE 'completed' END,
  '{}', 'counter', '{}', 0, 0, t, t, t, CASE WHEN i %% 97 = 0 THEN NULL ELSE t END,
  t + make_interval(days => 3 + (i %% 3)),
  CASE WHEN i %% 53 = 0 THEN NULL ELSE t + make_interval(days => i %% 6, hours => 2) END,
  'results/bench.pdf', (%(agencies)s)[1 + i %% %(agency_count)s], %(applicant)s,
  (%(procedures)s)[1 + (i / 7) %% %(procedure_count)s], '', '', '', ''
FROM (SELECT i, TIMESTAMPTZ '2025-01-01 01:30+00' + make_interval(secs => (i::bigint * 31449600) / %(n)s) AS t
      FROM generate_series(1, %(n)s) i) s
"""
LOAD_EVENTS = """
INSERT INTO dossiers_dossierevent (action, from_status, to_status, actor_role, public_note, internal_note, data,
  created_at, dossier_id, is_public)
SELECT e.action, e.from_status, e.to_status, 'receiver', '', '', '{}', e.at, d.id, true
FROM dossiers_dossier d, LATERAL (VALUES
  ('receive', 'submitted', 'processing', d.received_at, d.received_at IS NOT NULL),
  ('request_supplement', 'processing', 'supplement_requested', d.received_at + interval '1 hour', d.id %% 10 = 0),
  ('supplement', 'supplement_requested', 'processing', d.received_at + interval '1 day', d.id %% 10 = 0),
  ('request_supplement', 'processing', 'supplement_requested', d.received_at + interval '25 hours', d.id %% 50 = 0),
  ('supplement', 'supplement_requested', 'processing', d.received_at + interval '2 days', d.id %% 50 = 0),
  ('issue_apology', 'processing', 'processing', d.due_at, d.id %% 100 = 3),
  ('approve', 'awaiting_approval', 'result_ready', d.completed_at - interval '1 hour', d.status = 'completed'),
  ('hand_over', 'result_ready', 'completed', d.completed_at, d.status = 'completed'),
  ('reject', 'submitted', 'rejected', d.submitted_at + interval '1 hour', d.status = 'rejected'),
  ('refuse', 'awaiting_approval', 'refused', d.completed_at, d.status = 'refused')
) AS e(action, from_status, to_status, at, wanted)
WHERE e.wanted AND e.at IS NOT NULL AND d.code LIKE 'BENCH-%%'
"""
LOAD_PAYMENTS = """
INSERT INTO payments_payment (public_id, amount, breakdown, status, method, provider, provider_ref, pay_url,
  refund_ref, idempotency_key, expires_at, paid_at, refunded_at, refund_attempts, last_error, created_at,
  updated_at, dossier_id, payer_id)
SELECT gen_random_uuid(), 50000, '{}', CASE WHEN d.status = 'refused' THEN 'refunded' ELSE 'succeeded' END, 'card',
  'bench', 'BENCH-' || d.id, '', '', '', d.submitted_at, d.submitted_at,
  CASE WHEN d.status = 'refused' THEN d.completed_at END, 0, '', d.submitted_at, d.submitted_at, d.id, d.applicant_id
FROM dossiers_dossier d JOIN procedures_procedure p ON p.id = d.procedure_id
WHERE d.channel = 'online' AND p.fee > 0 AND d.code LIKE 'BENCH-%%'
"""
LOAD_RATINGS = """
INSERT INTO dossiers_rating (score, comment, created_at, dossier_id)
SELECT 1 + d.id %% 5, '', d.completed_at + interval '1 hour', d.id FROM dossiers_dossier d
WHERE d.status = 'completed' AND d.id %% 3 = 0 AND d.code LIKE 'BENCH-%%'
"""


def load(n: int, agencies, procedures):
    from tests import factories

    applicant = factories.CitizenFactory()
    params = {
        "n": n,
        "agencies": [a.pk for a in agencies],
        "agency_count": len(agencies),
        "procedures": [p.pk for p in procedures],
        "procedure_count": len(procedures),
        "applicant": applicant.pk,
    }
    with connection.cursor() as cursor:
        for label, sql in (
            ("dossiers", LOAD_DOSSIERS),
            ("events", LOAD_EVENTS),
            ("payments", LOAD_PAYMENTS),
            ("ratings", LOAD_RATINGS),
        ):
            started = time.perf_counter()
            cursor.execute(sql, params)
            print(f"loaded {cursor.rowcount:>9,} {label:<10} in {time.perf_counter() - started:6.1f} s")
        cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the database and its rows for the next run")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the loader uses generate_series.")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=args.keep, serialize=False)
    try:
        run(args)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args):
    from dossiers.models import Dossier
    from figures import selectors
    from figures.rollups import rebuild_rollups, rollups_recompute_for_dossier
    from figures.scope import AgencyTree, Scope
    from figures.service_index import service_index, service_index_ranking
    from procedures.models import Agency

    if not Dossier.objects.filter(code__startswith="BENCH-").exists():
        _province, agencies, procedures = build_catalog(args.agencies)
        load(args.dossiers, agencies, procedures)
    province = Agency.objects.get(code="000.00.00.H26")
    scope = Scope(agency_ids=AgencyTree.load().subtree([province.pk]), focus_agency_id=province.pk)
    print(
        f"{Dossier.objects.count():,} dossiers, {Agency.objects.count()} agencies, PostgreSQL {connection.pg_version}"
    )

    written = timed("rebuild_rollups, the whole year, every agency", lambda: rebuild_rollups(
        date_from=YEAR_START, date_to=YEAR_END))  # fmt: skip
    print(f"  {written:,} rollup rows")
    timed("rebuild again (replaces the same rows)", lambda: rebuild_rollups(date_from=YEAR_START, date_to=YEAR_END))
    with connection.cursor() as cursor:
        # What autovacuum does to the rows a rebuild replaced, before the reads are timed.
        timed("VACUUM ANALYZE of the rollup table", lambda: cursor.execute("VACUUM ANALYZE figures_dailyrollup"))
    one = Dossier.objects.filter(code__startswith="BENCH-", status="completed").order_by("id")[5000]
    day = one.completed_at.date()
    timed("one agency-day (the after-commit task)", lambda: rollups_recompute_for_dossier(dossier_id=one.pk, day=day))
    week = (date(2025, 6, 24), date(2025, 6, 30))
    timed("a week, every agency (the reconciliation)", lambda: rebuild_rollups(date_from=week[0], date_to=week[1]))
    kpis = timed(
        "KPIs, province-year, from rollups", lambda: selectors.kpis(scope=scope, date_from=YEAR_START, date_to=YEAR_END)
    )
    print(
        f"  received {kpis['received_total']:,}, online ratio {kpis['online_ratio']}, on time {kpis['on_time_ratio']}"
    )
    timed("trend, province-year (monthly)", lambda: selectors.kpi_trend(
        scope=scope, date_from=YEAR_START, date_to=YEAR_END))  # fmt: skip
    index = timed("service index, province-year", lambda: service_index(
        scope=scope, date_from=YEAR_START, date_to=YEAR_END))  # fmt: skip
    print(f"  total {index['total']}")
    timed("league table of communes, year", lambda: service_index_ranking(
        scope=scope, gov_level="commune", date_from=YEAR_START, date_to=YEAR_END))  # fmt: skip


if __name__ == "__main__":
    main()
