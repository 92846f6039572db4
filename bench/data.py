"""A benchmark database of N dossiers, built by bulk SQL in PostgreSQL (a million in a few minutes).

The spread is meant to look like a province's year: 30% of dossiers at one commune's counter
(BIG_AGENCY), the rest over every other agency that handles an online procedure; several thousand
citizens; every status, weighted by age (a dossier older than a month is mostly closed, a few are
stuck open and overdue; the last month holds the open workload); codes gapless per agency per day
(the code counters are set to match, so new submissions go on from there); appointment dates,
assignees among ten processors of the big agency, and the public events of each step.

`generate_history` (figures/) is used instead when asked (`--generator history`) and installed: it
builds the history through its own generator, and only the benchmark's officials and citizens are added
here. Nothing in the portal imports this module.
"""

import time

from django.contrib.auth.hashers import make_password
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.utils import timezone

from dossiers.queue_counts import queue_counts_rebuild

BIG_AGENCY = "000.01.15.H26"
BIG_SHARE = 0.30
PASSWORD = "Bench@2026"
PROCESSORS = 10
RECEIVER_PHONE = "0930000001"
PROCESSOR_PHONES = [f"09300001{n:02d}" for n in range(PROCESSORS)]
CITIZEN_PHONE_PREFIX = "08"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Ngọc", "Hữu", "Thanh", "Quang", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân", "Tâm"]

# (status, cumulative share) for dossiers younger than a month, and for older ones.
RECENT = [
    ("draft", 0.08),
    ("awaiting_payment", 0.12),
    ("submitted", 0.24),
    ("processing", 0.44),
    ("supplement_requested", 0.50),
    ("awaiting_approval", 0.58),
    ("result_ready", 0.66),
    ("in_delivery", 0.70),
    ("completed", 0.95),
    ("rejected", 0.98),
    ("refused", 0.99),
    ("withdrawn", 1.0),
]
OLDER = [
    ("completed", 0.87),
    ("rejected", 0.91),
    ("refused", 0.93),
    ("withdrawn", 0.96),
    ("draft", 0.97),
    ("processing", 0.985),
    ("result_ready", 1.0),
]
RECEIVED = (
    "processing",
    "supplement_requested",
    "awaiting_approval",
    "result_ready",
    "in_delivery",
    "completed",
    "refused",
)
ASSIGNED = (
    "processing",
    "supplement_requested",
    "awaiting_approval",
    "result_ready",
    "in_delivery",
    "completed",
    "refused",
)
FINAL = ("completed", "rejected", "refused", "withdrawn")


# Form data of realistic size: list pages must not pay for it.
NOTE = "Hồ sơ tạo cho phép đo hiệu năng; nội dung tờ khai mẫu để hàng có kích thước thật."


def citizen_count(dossiers: int) -> int:
    return 2_000 if dossiers < 50_000 else 5_000


def _case(shares) -> str:
    return (
        "CASE "
        + " ".join(f"WHEN r_status < {share} THEN '{status}'" for status, share in shares[:-1])
        + (f" ELSE '{shares[-1][0]}' END")
    )


def _sql_list(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _execute(log, label: str, sql: str, params=None) -> None:
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.rowcount
    log(f"  {label}: {rows if rows >= 0 else ''} rows in {time.monotonic() - started:.1f} s")


def ensure_staff(log) -> dict:
    """The big agency's receiver and processors (the benchmark's officials), created once."""
    from portal.accounts.models import StaffRole, User
    from procedures.models import Agency

    agency = Agency.objects.get(code=BIG_AGENCY)
    people = [(RECEIVER_PHONE, "receiver", "Cán bộ tiếp nhận (bench)")]
    people += [(phone, "processor", f"Chuyên viên {n + 1} (bench)") for n, phone in enumerate(PROCESSOR_PHONES)]
    password = make_password(PASSWORD)
    ids = {}
    for n, (phone, role, name) in enumerate(people):
        user, _ = User.objects.get_or_create(
            phone=phone,
            defaults={
                "full_name": name,
                "kind": "official",
                "national_id": f"0390000000{n:02d}",
                "password": password,
                "phone_verified_at": timezone.now(),
            },
        )
        StaffRole.objects.get_or_create(user=user, role=role, agency=agency)
        ids[phone] = user.pk
    log(f"  officials of {BIG_AGENCY}: 1 receiver, {PROCESSORS} processors")
    return {"agency_id": agency.pk, "receiver": ids[RECEIVER_PHONE], "processors": [ids[p] for p in PROCESSOR_PHONES]}


def insert_citizens(count: int, log) -> None:
    password = make_password(PASSWORD)
    _execute(
        log,
        "citizens",
        f"""
        INSERT INTO accounts_user (password, is_superuser, kind, full_name, phone, national_id, email,
                                   phone_verified_at, is_active, is_staff, date_joined)
        SELECT %s, false, 'citizen',
               (ARRAY[{_sql_list(FAMILY)}])[1 + mod(k, {len(FAMILY)})] || ' ' ||
               (ARRAY[{_sql_list(MIDDLE)}])[1 + mod(k / 7, {len(MIDDLE)})] || ' ' ||
               (ARRAY[{_sql_list(GIVEN)}])[1 + mod(k / 3, {len(GIVEN)})],
               '{CITIZEN_PHONE_PREFIX}' || lpad(k::text, 8, '0'), '031' || lpad(k::text, 9, '0'), '',
               now(), true, false, now() - interval '400 days'
        FROM generate_series(1, %s) AS k
        ON CONFLICT DO NOTHING
        """,
        [password, count],
    )


def insert_dossiers(count: int, staff: dict, log, seed: float) -> None:
    """One INSERT ... SELECT over generate_series: the random draws first (a temporary table), then the rows."""
    processors = "ARRAY[" + ", ".join(str(pk) for pk in staff["processors"]) + "]"
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        # Online procedures and the agencies that handle them, numbered for a random pick.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_pairs ON COMMIT DROP AS
            SELECT row_number() OVER (PARTITION BY a.id = %s ORDER BY p.id, a.id) - 1 AS idx, a.id = %s AS big,
                   p.id AS procedure_id, a.id AS agency_id, a.code AS agency_code, p.processing_days,
                   p.fee + p.charge AS amount
            FROM procedures_procedure p
            JOIN procedures_procedure_agencies pa ON pa.procedure_id = p.id
            JOIN procedures_agency a ON a.id = pa.agency_id
            WHERE p.online_level >= 3 AND p.is_active AND a.is_active
            """,
            [staff["agency_id"], staff["agency_id"]],
        )
        cursor.execute("SELECT big, count(*) FROM bench_pairs GROUP BY big")
        pairs = dict(cursor.fetchall())
        cursor.execute(
            f"""
            CREATE TEMP TABLE bench_citizens ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, full_name, national_id, phone
            FROM accounts_user WHERE phone LIKE '{CITIZEN_PHONE_PREFIX}%%' AND kind = 'citizen'
            """
        )
        cursor.execute("SELECT count(*) FROM bench_citizens")
        citizens = cursor.fetchone()[0]
    started = time.monotonic()
    _execute(
        log,
        "random draws",
        f"""
        CREATE TEMP TABLE bench_draws ON COMMIT DROP AS
        SELECT g, big,
               floor(random() * CASE WHEN big THEN {pairs[True]} ELSE {pairs[False]} END)::int AS pair,
               floor(random() * {citizens})::int AS citizen,
               age, r_status, random() AS r_channel, random() AS r_late, random() AS r_assign,
               CASE WHEN age < interval '30 days' THEN {_case(RECENT)} ELSE {_case(OLDER)} END AS status
        FROM (
            SELECT g, random() < {BIG_SHARE} AS big, random() * interval '365 days' AS age, random() AS r_status
            FROM generate_series(1, %s) AS g
        ) AS draws
        """,
        [count],
    )
    _execute(
        log,
        "dossiers",
        f"""
        WITH timed AS (
            SELECT d.*, p.procedure_id, p.agency_id, p.agency_code, p.processing_days, p.amount,
                   c.id AS applicant_id, c.full_name, c.national_id, c.phone,
                   now() - d.age AS created_at,
                   CASE WHEN d.status = 'draft' THEN NULL ELSE now() - d.age + interval '10 minutes' END
                       AS submitted_at,
                   CASE WHEN d.status IN ({_sql_list(RECEIVED)}) THEN now() - d.age + interval '1 day' END
                       AS received_at
            FROM bench_draws d
            JOIN bench_pairs p ON p.big = d.big AND p.idx = d.pair
            JOIN bench_citizens c ON c.k = d.citizen
        ), coded AS (
            SELECT t.*, (t.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS code_day,
                   row_number() OVER (
                       PARTITION BY t.agency_id, (t.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                       ORDER BY t.submitted_at, t.g
                   ) AS seq
            FROM timed t
        )
        INSERT INTO dossiers_dossier (
            public_id, code, procedure_id, agency_id, applicant_id, applicant_name, applicant_id_number,
            applicant_phone, on_behalf_note, channel, status, form_data, delivery_method, delivery_address,
            assignee_id, amount_due, amount_paid, created_at, updated_at, submitted_at, received_at, due_at,
            clock_paused_at, completed_at, overdue_flagged_at, result_file
        )
        SELECT gen_random_uuid(),
               CASE WHEN submitted_at IS NULL THEN NULL
                    ELSE agency_code || '-' || to_char(code_day, 'YYMMDD') || '-' || lpad(seq::text, 4, '0') END,
               procedure_id, agency_id, applicant_id, full_name, national_id, phone, '',
               CASE WHEN r_channel < 0.55 THEN 'online' WHEN r_channel < 0.95 THEN 'counter' ELSE 'postal' END,
               status,
               jsonb_build_object('ho_ten', full_name, 'so_dinh_danh', national_id, 'so_dien_thoai', phone,
                                  'ghi_chu', '{NOTE}',
                                  'muc_dich', 'Giao dịch dân sự'),
               CASE WHEN r_channel >= 0.95 THEN 'postal' ELSE 'counter' END,
               '{{}}'::jsonb,
               CASE WHEN big AND status IN ({_sql_list(ASSIGNED)})
                    THEN ({processors})[1 + floor(r_assign * {PROCESSORS})::int] END,
               CASE WHEN status = 'draft' THEN 0 ELSE amount END,
               CASE WHEN status IN ('draft', 'awaiting_payment') THEN 0 ELSE amount END,
               created_at, created_at + interval '1 day', submitted_at, received_at,
               received_at + make_interval(days => greatest(processing_days, 1) * 7 / 5 + 1),
               CASE WHEN status = 'supplement_requested' THEN received_at + interval '2 days' END,
               CASE WHEN status IN ({_sql_list(FINAL)})
                    THEN coalesce(received_at, submitted_at, created_at)
                         + make_interval(days => greatest(processing_days, 1) * 7 / 5 + 1)
                         * CASE WHEN r_late < 0.9 THEN 0.6 ELSE 1.4 END END,
               NULL, ''
        FROM coded
        ORDER BY g
        """,
    )
    log(f"  {count} dossiers ({pairs[True]} procedures at the big agency) in {time.monotonic() - started:.0f} s")


def insert_events(log) -> None:
    """The public steps each dossier went through: submitted, received, closed."""
    common = "INSERT INTO dossiers_dossierevent (dossier_id, action, from_status, to_status, actor_id, actor_role, "
    common += "public_note, internal_note, is_public, data, created_at) "
    _execute(
        log,
        "events: submit",
        common
        + """SELECT id, 'submit', 'draft', CASE WHEN status = 'awaiting_payment' THEN 'awaiting_payment'
                 ELSE 'submitted' END, applicant_id, 'applicant', '', '', true, '{}'::jsonb, submitted_at
             FROM dossiers_dossier WHERE submitted_at IS NOT NULL""",
    )
    _execute(
        log,
        "events: receive",
        common
        + """SELECT id, 'receive', 'submitted', 'processing', NULL, 'receiver', '', '', true, '{}'::jsonb, received_at
             FROM dossiers_dossier WHERE received_at IS NOT NULL""",
    )
    _execute(
        log,
        "events: close or move on",
        common
        + f"""SELECT id, CASE status WHEN 'completed' THEN 'hand_over' WHEN 'rejected' THEN 'reject'
                 WHEN 'refused' THEN 'refuse' WHEN 'withdrawn' THEN 'withdraw' ELSE 'forward' END,
                 CASE WHEN received_at IS NULL THEN 'submitted' ELSE 'processing' END, status, NULL,
                 CASE WHEN status = 'withdrawn' THEN 'applicant' ELSE 'processor' END, '', '', true, '{{}}'::jsonb,
                 coalesce(completed_at, received_at + interval '1 day')
             FROM dossiers_dossier
             WHERE submitted_at IS NOT NULL AND status NOT IN ('submitted', 'awaiting_payment', 'processing')
                   AND (received_at IS NOT NULL OR status IN ({_sql_list(FINAL)}))""",
    )


def set_code_counters(log) -> None:
    """So that the next submission of the day goes on after the generated codes, with no gap or clash."""
    _execute(
        log,
        "code counters",
        """
        INSERT INTO dossiers_dossiercodecounter (agency_id, day, last_value)
        SELECT agency_id, (submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, count(*)
        FROM dossiers_dossier WHERE code IS NOT NULL GROUP BY 1, 2
        ON CONFLICT (agency_id, day) DO UPDATE SET last_value = EXCLUDED.last_value
        """,
    )


def build_with_sql(dossiers: int, log, seed: float = 0.42) -> None:
    with transaction.atomic():
        staff = ensure_staff(log)
        insert_citizens(citizen_count(dossiers), log)
        insert_dossiers(dossiers, staff, log, seed)
        insert_events(log)
        set_code_counters(log)
        log(f"  queue counts: {queue_counts_rebuild()} rows")


def build_with_history_command(dossiers: int, log, seed: int = 42) -> None:
    """Hand the dossiers to figures' `generate_history`: 30% at the big agency, the rest over the others."""
    from procedures.models import Agency

    with transaction.atomic():
        ensure_staff(log)
        insert_citizens(citizen_count(dossiers), log)
    others = list(
        Agency.objects.filter(is_active=True, procedures__online_level__gte=3)
        .exclude(code=BIG_AGENCY)
        .values_list("code", flat=True)
        .distinct()
    )
    year = timezone.localdate().year
    shares = [(BIG_AGENCY, round(dossiers * BIG_SHARE))]
    rest = dossiers - shares[0][1]
    shares += [(code, rest // len(others) + (1 if n < rest % len(others) else 0)) for n, code in enumerate(others)]
    for n, (code, share) in enumerate(shares):
        if share:
            call_command(
                "generate_history", agency=code, year=year, dossiers=share, online=round(share * 0.55), seed=seed + n
            )
    log(f"  generate_history: {dossiers} dossiers over {len(shares)} agencies")
    log(f"  queue counts: {queue_counts_rebuild()} rows")


def has_history_command() -> bool:
    return "generate_history" in get_commands()


def vacuum_analyze(log) -> None:
    started = time.monotonic()
    connection.ensure_connection()
    autocommit = connection.connection.autocommit
    connection.connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for table in ("dossiers_dossier", "dossiers_dossierevent", "accounts_user", "dossiers_dossiercodecounter"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    finally:
        connection.connection.autocommit = autocommit
    log(f"  vacuum analyze in {time.monotonic() - started:.0f} s")
