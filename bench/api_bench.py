"""In-process throughput of the hot read paths, on a throw-away database.

    .venv/bin/python bench/api_bench.py [--dossiers 2000] [--seconds 3]

Prints requests per second and SQL queries per request for: catalog search, procedure
detail, an official's queue page (50 rows), and the public lookup, beside a bare JSON
view as the ceiling (the figures are ratios to that, since machines differ). Set
DATABASE_URL to measure PostgreSQL instead of SQLite. Not a test: nothing is asserted.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402


def measure(label, call, seconds, ceiling=None):
    connection.queries_log.clear()  # a full log (maxlen) would make every capture look empty
    with CaptureQueriesContext(connection) as queries:
        status = call().status_code
    query_count = len(queries.captured_queries)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        call()
        count += 1
    rate = count / (time.perf_counter() - started)
    ratio = f"{rate / ceiling:6.1%} of ceiling" if ceiling else "ceiling"
    print(f"{label:<34} {rate:9.1f} req/s  {query_count:3d} queries/request  HTTP {status}  {ratio}")
    return rate


def build(dossier_count):
    from portal.seeding import load_seeds
    from tests import factories
    from tests.dossiers.builders import Staff, make_dossier

    load_seeds(demo=False, log=lambda *_: None)
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    staff = Staff(procedure.agencies.first())
    template = make_dossier("processing", procedure=procedure, staff=staff)
    # Copies of one real dossier: enough rows for the queue's index and count to matter.
    from dossiers.models import Dossier

    rows = []
    for n in range(dossier_count):
        template.pk, template.public_id, template.code = None, None, f"{template.agency.code}-BENCH-{n:06d}"
        rows.append(
            Dossier(
                **{
                    f.attname: getattr(template, f.attname)
                    for f in Dossier._meta.concrete_fields
                    if f.attname not in {"id", "public_id"}
                }
            )
        )
    Dossier.objects.bulk_create(rows, batch_size=500)
    return staff, Dossier.objects.filter(code__contains="BENCH").first()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        staff, sample = build(args.dossiers)
        print(f"database: {connection.vendor}, {args.dossiers} dossiers at one agency\n")
        anonymous, official = Client(), APIClient()
        official.force_authenticate(staff.receiver)
        last4 = sample.applicant_id_number[-4:]
        ceiling = measure("bare JSON (/api/v1/fields/)", lambda: anonymous.get("/api/v1/fields/"), args.seconds)
        measure(
            "catalog search 'giay phep lai xe'",
            lambda: anonymous.get("/api/v1/procedures/", {"search": "giay phep lai xe"}),
            args.seconds,
            ceiling,
        )
        measure("procedure detail", lambda: anonymous.get("/api/v1/procedures/1.001193/"), args.seconds, ceiling)
        measure(
            "queue page (50 rows)", lambda: official.get("/api/v1/queue/", {"page_size": 50}), args.seconds, ceiling
        )
        measure(
            "public lookup",
            lambda: anonymous.get("/api/v1/lookup/", {"code": sample.code, "id_last4": last4}),
            args.seconds,
            ceiling,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
