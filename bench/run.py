"""The portal under load as production runs it, beside a bare Django JSON view (the ceiling).

    .venv/bin/python bench/run.py --dossiers 100000 [--database dvc_bench] [--redis-url redis://127.0.0.1:6379/12]

Builds (once, then reuses) a PostgreSQL database of N dossiers (bench/data.py), migrates it (so new
indexes are built on the same rows), starts gunicorn with 2 sync workers on the production settings
(DEBUG off, a random SECRET_KEY, request budgets raised so nothing is throttled), then measures every
hot request and the ceiling side by side, `--repeats` rounds of `--seconds` each, with wrk (or a Python
load generator when wrk is not installed), and prints a table: req/s range, share of the ceiling, p99,
and SQL queries per request counted in-process with the same settings. It asserts nothing.
"""

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

VAR = ROOT / "var" / "bench"
BOUNDARY = "benchboundary7d1f0c"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, required=True, help="10000, 100000, 1000000...")
    parser.add_argument("--database", default="dvc_bench", help="PostgreSQL database name (dropped and rebuilt)")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL, no database name")
    parser.add_argument("--redis-url", default="", help="cache and broker as in production (empty: embedded)")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--seconds", type=float, default=8.0, help="per request kind per round")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--generator", choices=["sql", "history"], default="sql")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database even if it holds N dossiers")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated request names (the ceiling always runs)")
    parser.add_argument("--no-load", action="store_true", help="only the in-process table: queries, ms, CPU ms")
    return parser.parse_args()


def bench_env(args) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "MEDIA_ROOT": str(VAR / "media"),
        "PAYMENT_GATEWAY_SECRET": secrets.token_hex(16),
        "POSTAL_WEBHOOK_SECRET": secrets.token_hex(16),
        "LOG_LEVEL": "WARNING",
        # One client address sends everything: budgets meant per person would refuse the load.
        "THROTTLE_LOOKUP": "100000000/min",
        "THROTTLE_AUTH": "100000000/min",
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


# --- the database ---------------------------------------------------------------------------


def _server_connection(args):
    import psycopg

    return psycopg.connect(f"{args.pg}/postgres", autocommit=True)


def built_for(args) -> tuple | None:
    import psycopg

    try:
        with psycopg.connect(f"{args.pg}/{args.database}") as connection:
            return connection.execute("SELECT dossiers, generator FROM bench_meta").fetchone()
    except psycopg.Error:
        return None


def recreate_database(args) -> None:
    with _server_connection(args) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{args.database}"')


def prepare_database(args, log) -> None:
    from django.core.management import call_command
    from django.db import connection

    from bench import data

    wanted = (args.dossiers, args.generator)
    rebuild = args.rebuild or built_for(args) != wanted
    if rebuild:
        log(f"building {args.database}: {args.dossiers} dossiers ({args.generator})")
        recreate_database(args)
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    log(f"  migrate: {time.monotonic() - started:.0f} s")
    if not rebuild:
        ensure_rollups(log)
        return
    from portal.seeding import load_seeds

    load_seeds(demo=False, log=lambda *_: None)
    started = time.monotonic()
    if args.generator == "history":
        if not data.has_history_command():
            raise SystemExit("generate_history is not installed here: use --generator sql")
        data.build_with_history_command(args.dossiers, log)
    else:
        data.build_with_sql(args.dossiers, log)
    data.vacuum_analyze(log)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_meta (dossiers integer, generator text, built_at timestamptz)")
        cursor.execute("INSERT INTO bench_meta VALUES (%s, %s, now())", list(wanted))
    log(f"built in {time.monotonic() - started:.0f} s")
    ensure_rollups(log)


def ensure_rollups(log) -> None:
    """The figures read past days from daily rollups: build them once over the data's whole span."""
    from django.apps import apps

    if not apps.is_installed("figures"):
        return
    from django.db.models import Max, Min
    from django.utils import timezone

    from dossiers.models import Dossier
    from figures.models import DailyRollup
    from figures.rollups import rebuild_rollups

    if DailyRollup.objects.exists():
        return
    span = Dossier.objects.aggregate(first=Min("created_at"), last=Max("updated_at"))
    if span["first"] is None:
        return
    started = time.monotonic()
    last = max(timezone.localdate(span["last"]), timezone.localdate())
    rows = rebuild_rollups(date_from=timezone.localdate(span["first"]), date_to=last)
    log(f"  rollups: {rows} rows in {time.monotonic() - started:.0f} s")


# --- who sends what ---------------------------------------------------------------------------


def form_data_for(schema: dict) -> dict:
    """Answers that satisfy a procedure's e-form (the seeded schemas use these few shapes)."""
    answers = {}
    for name in schema.get("required", []):
        spec = schema["properties"][name]
        pattern = spec.get("pattern", "")
        if "enum" in spec:
            answers[name] = spec["enum"][0]
        elif spec.get("type") in ("integer", "number"):
            answers[name] = max(spec.get("minimum", 1), 1)
        elif spec.get("type") == "boolean":
            answers[name] = True
        elif spec.get("format") == "date":
            answers[name] = "2026-01-15"
        elif "12" in pattern:
            answers[name] = "031000000001"
        elif pattern.startswith("^0"):
            answers[name] = "0912345678"
        else:
            answers[name] = "Nguyễn Văn Bench"
    return answers


def sample_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    path = VAR / "sample.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "To khai - bench")
    pdf.save()
    return path.read_bytes()


def flow_files(procedure, document_key: str, agency_code: str) -> tuple[Path, Path]:
    create = VAR / "flow-create.json"
    body = {
        "procedure": procedure.code,
        "agency": agency_code,
        "form_data": form_data_for(procedure.form_schema),
        "delivery_method": "online" if "online" in procedure.delivery_methods else "counter",
    }
    create.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    attach = VAR / "flow-attach.bin"
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="document"\r\n\r\n{document_key}\r\n'.encode(),
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="to-khai.pdf"\r\n'.encode(),
        b"Content-Type: application/pdf\r\n\r\n",
        sample_pdf(),
        f"\r\n--{BOUNDARY}--\r\n".encode(),
    ]
    attach.write_bytes(b"".join(parts))
    return create, attach


def flow_procedure(agency):
    """An online procedure of the big agency with no fee and one mandatory paper (submit → submitted)."""
    for procedure in agency.procedures.filter(is_active=True, online_level__gte=3, fee=0, charge=0).order_by("code"):
        mandatory = [d for d in procedure.required_documents.all() if d.mandatory]
        if len(mandatory) == 1:
            return procedure, mandatory[0].key
    raise SystemExit("no procedure fit for the submission flow")


def actors(log) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from knox.models import AuthToken

    from bench import data
    from dossiers.models import Dossier
    from portal.accounts.constants import Role
    from portal.accounts.models import StaffRole
    from procedures.models import Agency

    user_model = get_user_model()
    agency = Agency.objects.get(code=data.BIG_AGENCY)
    receiver = user_model.objects.get(phone=data.RECEIVER_PHONE)
    processor = user_model.objects.get(phone=data.PROCESSOR_PHONES[0])
    flow_citizen, _ = user_model.objects.get_or_create(
        phone="0940000001",
        defaults={"full_name": "Người nộp (bench)", "national_id": "031999999999", "phone_verified_at": timezone.now()},
    )
    citizens = list(
        user_model.objects.filter(phone__startswith=data.CITIZEN_PHONE_PREFIX, kind="citizen").order_by("pk")[:20]
    )
    province = agency
    while province.parent_id is not None:
        province = province.parent
    leader, _ = user_model.objects.get_or_create(
        phone="0940000002",
        defaults={"full_name": "Lãnh đạo tỉnh (bench)", "kind": "official", "phone_verified_at": timezone.now()},
    )
    StaffRole.objects.get_or_create(user=leader, role=Role.LEADER, agency=province)
    tokens = {
        "province_leader": AuthToken.objects.create(leader)[1],
        "province": province.code,
        "receiver": AuthToken.objects.create(receiver)[1],
        "processor": AuthToken.objects.create(processor)[1],
        "flow": AuthToken.objects.create(flow_citizen)[1],
        "citizens": [AuthToken.objects.create(citizen)[1] for citizen in citizens],
    }
    lookups = list(
        Dossier.objects.raw(
            "SELECT id, code, applicant_id_number FROM dossiers_dossier TABLESAMPLE SYSTEM (2) REPEATABLE (7) "
            "WHERE code IS NOT NULL LIMIT 500"
        )
    )
    procedure, document_key = flow_procedure(agency)
    create, attach = flow_files(procedure, document_key, agency.code)
    log(f"  flow: {procedure.code} at {agency.code}, document {document_key}; {len(lookups)} lookup codes")
    return {
        "tokens": tokens,
        "lookups": [(d.code, d.applicant_id_number[-4:]) for d in lookups],
        "flow": {
            "token": tokens["flow"],
            "create_path": create,
            "attach_path": attach,
            "boundary": BOUNDARY,
            "document": document_key,
        },
    }


def kpi_path(agency_code: str, *, year: bool = False) -> str | None:
    """The KPI API for an agency: this year so far by default, or the last 365 days (a province-year)."""
    from datetime import timedelta

    from django.urls import Resolver404, resolve
    from django.utils import timezone

    try:
        resolve("/api/v1/stats/kpis/")
    except Resolver404:
        return None
    path = f"/api/v1/stats/kpis/?agency={agency_code}"
    if year:
        today = timezone.localdate()
        path += f"&from={today - timedelta(days=364)}&to={today}"
    return path


def scenarios(world) -> list[load.Scenario]:
    tokens = world["tokens"]
    receiver, processor = tokens["receiver"], tokens["processor"]
    queue = "/api/v1/queue/?page_size=50"
    found = [
        load.Scenario("ceiling: bare JSON view", [("/bench/bare/", "")]),
        load.Scenario(
            "public lookup by code", [(f"/api/v1/lookup/?code={c}&id_last4={l4}", "") for c, l4 in world["lookups"]]
        ),
        load.Scenario("queue: all (50 rows)", [(queue, receiver)]),
    ]
    for tab in ("new", "processing", "supplement", "approval", "result", "delivery", "overdue"):
        found.append(load.Scenario(f"queue: tab {tab}", [(f"{queue}&tab={tab}", receiver)]))
    for name, query in (
        ("status=submitted", "status=submitted"),
        ("overdue=true", "overdue=true"),
        ("due_soon=true", "due_soon=true"),
        ("assignee=none", "assignee=none"),
    ):
        found.append(load.Scenario(f"queue: {name}", [(f"{queue}&{query}", receiver)]))
    found.append(load.Scenario("queue: processor, assignee=me", [(f"{queue}&assignee=me", processor)]))
    found.append(load.Scenario("citizen: own list", [("/api/v1/dossiers/", token) for token in tokens["citizens"]]))
    found.append(
        load.Scenario(
            "catalog search",
            [
                (f"/api/v1/procedures/?search={quote_plus(q)}", "")
                for q in ("giay phep lai xe", "khai sinh", "ket hon", "dat dai")
            ],
        )
    )
    found.append(load.Scenario("create → attach PDF → submit", flow=world["flow"], note="dossiers/s"))
    from bench import data

    kpis = kpi_path(data.BIG_AGENCY)
    if kpis:
        found.append(load.Scenario("KPI API", [(kpis, receiver)]))
        province_year = kpi_path(tokens["province"], year=True)
        found.append(load.Scenario("KPI API: province year", [(province_year, tokens["province_leader"])]))
    else:
        found.append(load.Scenario("KPI API", note="skipped: /api/v1/stats/kpis/ does not exist on this commit"))
    return found


# --- queries and time per request, in-process -----------------------------------------------------


def count_queries(scenario: load.Scenario) -> tuple[str, float, float, float]:
    """SQL queries of one request (of one whole flow), its in-process milliseconds (median of 20), the
    CPU milliseconds of this process per request (the database's own work not included), and the
    milliseconds of the first call (with no cached figures)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def call():
        if scenario.flow is None:
            path, token = scenario.requests[0]
            headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
            return [Client(**headers).get(path).status_code]
        client = Client(HTTP_AUTHORIZATION=f"Token {scenario.flow['token']}")
        body = json.loads(scenario.flow["create_path"].read_text(encoding="utf-8"))
        created = client.post("/api/v1/dossiers/", body, content_type="application/json")
        dossier_id = created.json()["id"]
        attached = client.post(
            f"/api/v1/dossiers/{dossier_id}/attachments/",
            scenario.flow["attach_path"].read_bytes(),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
        submitted = client.post(f"/api/v1/dossiers/{dossier_id}/submit/")
        return [created.status_code, attached.status_code, submitted.status_code]

    forget_cached_figures()
    started = time.perf_counter()
    call()  # warm caches, as the server's workers are; the first call computes what they keep
    first = (time.perf_counter() - started) * 1000
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        statuses = call()
    counts = len(captured.captured_queries)
    timings, calls = [], 5 if scenario.flow else 20
    cpu_started = time.process_time()
    for _ in range(calls):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu_started) * 1000 / calls
    label = str(counts) if not scenario.flow else f"{counts} (3 requests)"
    if any(status >= 400 for status in statuses):
        label += f" HTTP {statuses}"
    return label, statistics.median(timings), cpu, first


def forget_cached_figures() -> None:
    """The next figures request computes its answer from the rollups and today's rows (a leader's first visit)."""
    from django.apps import apps

    if apps.is_installed("figures"):
        from figures.cache import figures_changed

        figures_changed()


# --- the server ---------------------------------------------------------------------------------


def start_server(args, env) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "sync",
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    log_file = (VAR / "gunicorn.log").open("w")
    server = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/bench/bare/", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"gunicorn did not start: see {VAR / 'gunicorn.log'}")


def drain(port: int) -> None:
    """Wait until the workers have answered what the last run left queued (sync workers still serve
    connections that the load generator has given up on): the next measurement starts on idle workers."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=60):
                pass
        except OSError:
            continue
        if time.monotonic() - started < 0.05:
            return


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


# --- the table ----------------------------------------------------------------------------------


def table(results, queries, ceiling_name) -> str:
    ceilings = [summary.rate for summary in results[ceiling_name]]
    lines = [
        "| request | req/s (min–max) | share of ceiling | p99 ms (min–max) | queries/request | in-process ms "
        "| CPU ms | first call ms | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, summaries in results.items():
        if not summaries:
            lines.append(f"| {name} | — | — | — | — | — | — | — | {queries[name][0]} |")
            continue
        label, wall, cpu, first = queries[name]
        rates = [summary.rate for summary in summaries]
        shares = [rate / ceiling for rate, ceiling in zip(rates, ceilings, strict=False) if ceiling]
        p99s = [summary.p99_ms for summary in summaries]
        errors = sum(summary.errors for summary in summaries)
        share = "—" if name == ceiling_name or not shares else f"{min(shares):.1%}–{max(shares):.1%}"
        lines.append(
            f"| {name} | {min(rates):,.0f}–{max(rates):,.0f} | {share} | {min(p99s):,.0f}–{max(p99s):,.0f} | "
            f"{label} | {wall:.1f} | {cpu:.1f} | {first:.1f} | {errors} |"
        )
    return "\n".join(lines)


def main():
    args = parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "media").mkdir(exist_ok=True)
    env = bench_env(args)
    os.environ.update(env)
    warnings.filterwarnings("ignore", message="No directory at")

    def log(message):
        print(message, flush=True)

    import django

    django.setup()
    prepare_database(args, log)
    if args.build_only:
        return
    world = actors(log)
    found = scenarios(world)
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    found = [s for s in found if s is found[0] or not wanted or s.name in wanted]
    queries = {}
    for scenario in found:
        if scenario.requests or scenario.flow:
            queries[scenario.name] = count_queries(scenario)
        else:
            queries[scenario.name] = (scenario.note, 0.0, 0.0, 0.0)
    if args.no_load:
        ceiling_ms = queries[found[0].name][1]
        print(
            "| request | queries/request | in-process ms | × the ceiling's time | CPU ms | first call ms |\n"
            "|---|---|---|---|---|---|"
        )
        for name, (label, wall, cpu, first) in queries.items():
            times = f"{wall / ceiling_ms:,.0f}×" if ceiling_ms else "—"
            print(f"| {name} | {label} | {wall:.1f} | {times} | {cpu:.1f} | {first:.1f} |")
        return
    from django.db import connections

    connections.close_all()
    generator = "wrk" if load.wrk_available() else "python (wrk not installed)"
    log(f"load: {generator}, {args.connections} connections, gunicorn {args.workers} sync workers, port {args.port}")
    server = start_server(args, env)
    results = {scenario.name: [] for scenario in found}
    try:
        base = f"http://127.0.0.1:{args.port}"
        measurable = [s for s in found if s.requests or s.flow]
        for scenario in measurable:  # warm-up: each worker's caches and connections, the database's buffers
            load.run(scenario, base_url=base, seconds=2, connections=args.connections, workdir=VAR)
            drain(args.port)
        for round_number in range(args.repeats):
            for scenario in measurable:
                summary = load.run(
                    scenario, base_url=base, seconds=args.seconds, connections=args.connections, workdir=VAR
                )
                results[scenario.name].append(summary)
                drain(args.port)
                log(
                    f"  round {round_number + 1} {scenario.name}: {summary.rate:,.0f}/s p99 {summary.p99_ms:.0f} ms"
                    f" errors {summary.errors}"
                )
    finally:
        stop_server(server)
    load_average = os.getloadavg()
    print()
    print(
        f"{args.dossiers:,} dossiers in {args.database}; {generator}; {args.repeats} rounds of {args.seconds:.0f} s; "
        f"load average after the run {load_average[0]:.2f}"
    )
    print(table(results, queries, found[0].name))
    for scenario in found:
        if scenario.note and not (scenario.requests or scenario.flow):
            print(f"- {scenario.name}: {scenario.note}")
    flow_name = next((s.name for s in found if s.flow), None)
    if flow_name:
        print(f"- {flow_name}: req/s is whole dossiers submitted per second (3 requests each); p99 per request")


if __name__ == "__main__":
    main()
