"""EXPLAIN ANALYZE of every query the hot read requests run, on a database that bench/run.py built.

    .venv/bin/python bench/explain.py --database dvc_bench [--only "queue: all (50 rows)"]

Each request is sent once in-process (warm-up), then again with its queries captured; each SELECT is
explained with ANALYZE and the table prints, per request: the queries, their summed execution time,
the slowest one, and whether any plan sorts or scans the whole dossier table. Nothing is migrated or
built here; it reads only. With --verbose the plan of each query is printed.
"""

import argparse
import json
import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402


def walk(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from walk(child)


def explain(cursor, sql: str) -> dict:
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
    value = cursor.fetchone()[0]
    return (json.loads(value) if isinstance(value, str) else value)[0]


def shape(plan: dict) -> str:
    """The nodes that matter: sorts, and how the dossier table is read."""
    notes = []
    for node in walk(plan["Plan"]):
        kind = node["Node Type"]
        if "Sort" in kind:
            notes.append(f"{kind} ({node.get('Actual Rows', '?')} rows)")
        if node.get("Relation Name") == "dossiers_dossier":
            notes.append(
                f"{kind} {node.get('Index Name', '')} ({node.get('Actual Rows', '?')} rows)".replace("  ", " ")
            )
    return "; ".join(notes) or "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="dvc_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--only", default="")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    run.VAR.mkdir(parents=True, exist_ok=True)
    os.environ.update(run.bench_env(args))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    world = run.actors(lambda *_: None)
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    print("| request | queries | SQL ms (sum) | slowest ms | how the dossier table is read (slowest query) |")
    print("|---|---|---|---|---|")
    for scenario in run.scenarios(world):
        if (
            not scenario.requests
            or scenario.requests[0][0].startswith("/bench/")
            or (wanted and scenario.name not in wanted)
        ):
            continue
        path, token = scenario.requests[0]
        client = Client(**({"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}))
        client.get(path)
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        plans = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                if query["sql"].lstrip().upper().startswith("SELECT"):
                    plans.append((query["sql"], explain(cursor, query["sql"])))
        total = sum(plan["Execution Time"] for _, plan in plans)
        _, slowest = max(plans, key=lambda item: item[1]["Execution Time"])
        print(
            f"| {scenario.name} | {len(captured.captured_queries)} | {total:.2f} | "
            f"{slowest['Execution Time']:.2f} | {shape(slowest)} |" + ("" if status == 200 else f" HTTP {status}")
        )
        if args.verbose:
            for sql, plan in plans:
                print(f"\n{plan['Execution Time']:.2f} ms  {sql[:300]}\n  {shape(plan)}")


if __name__ == "__main__":
    main()
