"""generate_history: exact counts, determinism, rows as the workflow writes them, refusals (small runs on SQLite)."""

import hashlib
import itertools
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dossiers import rules, workflow
from dossiers.constants import DossierStatus
from dossiers.models import Attachment, Dossier, DossierCodeCounter, DossierEvent, QueueCount, Rating
from figures.history import history_generate, history_request
from payments.constants import PaymentStatus
from payments.models import Payment, PaymentEvent, ReceiptCounter
from procedures.calendar import add_working_days, is_working_day, office_hours, office_time_zone, working_days_between
from procedures.constants import OnlineLevel
from procedures.models import CalendarOverride
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=office_time_zone())
CODE_RE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<seq>\d{4,})$")


def make_agency(*, procedures=None):
    """An agency with a catalog covering every path: level 3 and 4, with and without a fee, a level 2."""
    agency = factories.AgencyFactory()
    specs = procedures or [
        {"online_level": OnlineLevel.LEVEL_3, "processing_days": 3, "charge": 50_000},
        {"online_level": OnlineLevel.LEVEL_4, "processing_days": 5, "fee": 100_000, "online_discount_percent": 50},
        {"online_level": OnlineLevel.LEVEL_4, "processing_days": 1},
        {"online_level": OnlineLevel.LEVEL_2, "processing_days": 0, "charge": 10_000},
    ]
    for spec in specs:
        factories.ProcedureFactory(agencies=[agency], **spec)
    return agency


def generate(agency, *, dossiers=300, online=90, year=2020, months=None, ratio=None, seed=1, level4=None):
    request = history_request(
        agency_code=agency.code,
        year=year,
        months=months,
        dossiers=dossiers,
        online=online,
        on_time_ratio=ratio,
        level4=level4,
        seed=seed,
        now=NOW,
    )
    return history_generate(request, now=NOW)


def in_period(queryset, year, first_month=1, last_month=12):
    tz = office_time_zone()
    start = datetime(year, first_month, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz) if last_month == 12 else datetime(year, last_month + 1, 1, tzinfo=tz)
    return queryset.filter(received_at__gte=start, received_at__lt=end)


def digest(agency) -> str:
    """Every generated row of the agency, ids left out (references by code or position instead)."""
    parts = []
    dossiers = Dossier.objects.filter(agency=agency).order_by("code")
    dossier_fields = [f.attname for f in Dossier._meta.concrete_fields if f.attname != "id"]
    for row in dossiers.values_list(*dossier_fields):
        parts.append(repr(row))
    for row in (
        DossierEvent.objects.filter(dossier__agency=agency)
        .order_by("dossier__code", "created_at", "id")
        .values_list("dossier__code", "action", "from_status", "to_status", "actor_id", "actor_role",
                     "public_note", "internal_note", "is_public", "data", "created_at")
    ):  # fmt: skip
        data = dict(row[9])
        data.pop("attachment", None)
        parts.append(repr((*row[:9], sorted(data.items()), row[10])))
    payment_fields = [f.attname for f in Payment._meta.concrete_fields if f.attname not in ("id", "dossier_id")]
    for row in (
        Payment.objects.filter(dossier__agency=agency)
        .order_by("dossier__code", "created_at")
        .values_list("dossier__code", *payment_fields)
    ):
        parts.append(repr(row))
    for row in (
        PaymentEvent.objects.filter(payment__dossier__agency=agency)
        .order_by("payment__dossier__code", "created_at", "id")
        .values_list("payment__public_id", "event_key", "source", "from_status", "to_status", "data", "created_at")
    ):
        parts.append(repr(row))
    for row in (
        Rating.objects.filter(dossier__agency=agency)
        .order_by("dossier__code")
        .values_list("dossier__code", "score", "comment", "created_at")
    ):
        parts.append(repr(row))
    for row in Attachment.objects.filter(dossier__agency=agency).order_by("dossier__code", "created_at").values_list(
        "dossier__code", "document_id", "file", "original_name", "sha256", "uploaded_by_id", "created_at",
        "superseded_at",
    ):  # fmt: skip
        parts.append(repr(row))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def forget_history(agency) -> None:
    """Remove what a run wrote for the agency, numbering included, so the same run can be made again."""
    Payment.objects.filter(dossier__agency=agency).delete()
    Dossier.objects.filter(agency=agency).delete()
    DossierCodeCounter.objects.filter(agency=agency).delete()
    ReceiptCounter.objects.all().delete()


def test_exactly_n_received_in_the_period_of_which_m_online():
    agency = make_agency()
    result = generate(agency, dossiers=300, online=90)
    received = in_period(Dossier.objects.filter(agency=agency), 2020)
    assert received.count() == 300
    assert received.filter(channel="online").count() == 90
    assert received.filter(channel="postal").exists()
    assert result.received["online"] == 90 and sum(result.received.values()) == 300
    # Rejections at reception and withdrawals are online dossiers sent but never received, on top of N.
    never_received = Dossier.objects.filter(agency=agency, received_at__isnull=True)
    assert never_received.count() == sum(n for fate, n in result.fates.items() if fate != "received")
    assert set(never_received.values_list("channel", flat=True)) <= {"online"}
    assert Dossier.objects.filter(agency=agency).count() == 300 + never_received.count()


def test_part_of_a_year():
    agency = make_agency()
    generate(agency, dossiers=200, online=60, year=2021, months="1-6")
    dossiers = Dossier.objects.filter(agency=agency)
    assert in_period(dossiers, 2021, 1, 6).count() == 200
    assert in_period(dossiers, 2021, 1, 6).filter(channel="online").count() == 60
    assert not dossiers.filter(submitted_at__gte=datetime(2021, 7, 1, tzinfo=office_time_zone())).exists()


def test_same_seed_same_rows_other_seed_other_rows():
    agency = make_agency()
    generate(agency, dossiers=250, online=80, seed=7)
    first = digest(agency)
    forget_history(agency)
    generate(agency, dossiers=250, online=80, seed=7)
    assert digest(agency) == first
    forget_history(agency)
    generate(agency, dossiers=250, online=80, seed=8)
    assert digest(agency) != first


def test_codes_are_in_the_real_format_unique_and_gapless_per_day():
    agency = make_agency()
    generate(agency, dossiers=300, online=100)
    by_day = defaultdict(list)
    for code, submitted_at in Dossier.objects.filter(agency=agency).values_list("code", "submitted_at"):
        match = CODE_RE.match(code)
        assert match and match["agency"] == agency.code
        assert match["day"] == timezone.localtime(submitted_at).strftime("%y%m%d")
        by_day[match["day"]].append((submitted_at, int(match["seq"])))
    for numbers in by_day.values():
        numbers.sort()
        assert [seq for _at, seq in numbers] == list(range(1, len(numbers) + 1))  # in submission order, no gap
    counters = dict(DossierCodeCounter.objects.filter(agency=agency).values_list("day", "last_value"))
    assert sum(counters.values()) == Dossier.objects.filter(agency=agency).count()


def test_a_second_run_continues_the_numbering():
    agency = make_agency()
    generate(agency, dossiers=60, online=20, seed=1)
    generate(agency, dossiers=60, online=20, seed=2)
    codes = list(Dossier.objects.filter(agency=agency).values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    receipts = list(Payment.objects.exclude(receipt_number=None).values_list("receipt_number", flat=True))
    assert len(receipts) == len(set(receipts)) and all(re.match(r"^BL\d{4}-\d{7}$", r) for r in receipts)


def _event_chain_ok(dossier, events) -> None:
    moves = [e for e in events if e.action in workflow.ACTIONS]
    assert moves[0].from_status == DossierStatus.DRAFT
    for before, after in itertools.pairwise(moves):
        assert after.from_status == before.to_status
        assert after.created_at >= before.created_at
    assert moves[-1].to_status == dossier.status
    for event in moves:
        rows = [
            t
            for t in workflow.transitions_for(event.action)
            if event.from_status in t.sources and t.target == event.to_status
        ]
        assert rows, f"{event.action} {event.from_status}→{event.to_status} is not a row of the workflow table"
        assert any(event.actor_role in t.actors for t in rows)
        if any("reason" in t.requires for t in rows):
            assert event.public_note or event.internal_note


def _due_replayed(dossier, events) -> datetime:
    """The appointment as dossiers.deadlines computes it, with the calendar's own functions; between two
    moves it is read back from the database (in UTC), as the workflow reads it."""
    due, paused = None, None
    for event in events:
        if event.action not in workflow.ACTIONS:
            continue
        if event.to_status == DossierStatus.PROCESSING and event.from_status in (
            DossierStatus.SUBMITTED,
            DossierStatus.DRAFT,
        ):
            due = add_working_days(event.created_at, dossier.procedure.processing_days).astimezone(UTC)
        elif event.to_status == DossierStatus.SUPPLEMENT_REQUESTED and due is not None:
            paused = event.created_at
        elif event.from_status == DossierStatus.SUPPLEMENT_REQUESTED and paused is not None:
            days = working_days_between(paused, event.created_at)
            moved = add_working_days(due, days) if days else due
            assert event.data == {"due_at": moved.isoformat()}
            due, paused = moved.astimezone(UTC), None
    return due


def test_rows_are_those_the_workflow_writes():
    CalendarOverride.objects.create(date=datetime(2020, 9, 4).date(), kind="day_off", name="Nghỉ bù")
    agency = make_agency()
    generate(agency, dossiers=400, online=150)
    dossiers = Dossier.objects.filter(agency=agency).select_related("procedure").prefetch_related("events")
    seen = Counter()
    for dossier in dossiers:
        events = list(dossier.events.all())
        _event_chain_ok(dossier, events)
        first_move = next(e for e in events if e.action in workflow.ACTIONS)
        assert dossier.created_at <= events[0].created_at and dossier.submitted_at <= first_move.created_at
        assert dossier.amount_paid <= dossier.amount_due
        assert dossier.updated_at == max(e.created_at for e in events if e.action != "attach")
        if dossier.received_at is not None:
            assert dossier.received_at >= dossier.submitted_at
            assert dossier.due_at == _due_replayed(dossier, events)
            assert is_working_day(timezone.localtime(dossier.due_at, office_time_zone()).date())
        if dossier.status in rules.FINAL_STATUSES:
            assert dossier.completed_at == events[-1].created_at
            assert dossier.completed_at >= (dossier.received_at or dossier.submitted_at)
        else:
            assert dossier.completed_at is None
        if dossier.status == DossierStatus.COMPLETED:
            assert dossier.amount_paid == dossier.amount_due and dossier.result_file
            assert dossier.assignee_id is not None
        if dossier.channel == "online":
            mandatory = set(dossier.procedure.required_documents.filter(mandatory=True).values_list("pk", flat=True))
            attached = {a.document_id for a in dossier.attachments.all() if a.created_at < dossier.submitted_at}
            assert mandatory <= attached  # the submission check would have refused it otherwise
        else:
            assert (
                dossier.registered_by_id is not None
                and dossier.received_at - dossier.submitted_at < timezone.timedelta(seconds=1)
            )
        seen.update(e.action for e in events)
    every_path = {
        *("submit", "confirm_payment", "register_at_counter", "receive", "reject", "request_supplement"),
        *("supplement", "assign", "forward", "approve", "record_counter_payment", "hand_over", "attach"),
    }
    assert every_path <= set(seen)


def test_payments_follow_the_payment_state_machine():
    agency = make_agency()
    generate(agency, dossiers=400, online=200)
    payments = Payment.objects.filter(dossier__agency=agency).select_related("dossier")
    assert payments.filter(status=PaymentStatus.SUCCEEDED).exists()
    for payment in payments:
        dossier = payment.dossier
        events = list(payment.events.order_by("created_at", "id"))
        assert events[0].from_status == PaymentStatus.PENDING
        assert events[-1].to_status == payment.status
        assert payment.provider == "mockpay" and re.match(r"^MP[0-9A-F]{20}$", payment.provider_ref)
        assert payment.expires_at == dossier.submitted_at + timezone.timedelta(minutes=1440)
        if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED, PaymentStatus.REFUND_PENDING):
            assert payment.amount == dossier.amount_due and payment.receipt_number and payment.paid_at
            assert events[0].event_key == f"payment.succeeded:{payment.provider_ref}"
            confirm = dossier.events.get(action="confirm_payment")
            assert confirm.public_note == payment.receipt_number and confirm.data == {"amount": payment.amount}
        if payment.status == PaymentStatus.REFUNDED:
            assert dossier.status in rules.CLOSED_WITHOUT_RESULT
            assert events[-1].event_key == f"refund.succeeded:{payment.refund_ref}"
        if payment.status == PaymentStatus.EXPIRED:
            assert dossier.status == DossierStatus.WITHDRAWN
            assert dossier.events.filter(action="expire_payment").exists()
    # A level-3 fee is paid at the counter before the result is handed over, never online.
    level3 = Dossier.objects.filter(agency=agency, procedure__online_level=3, status=DossierStatus.COMPLETED)
    assert level3.filter(amount_due__gt=0).exists()
    assert not Payment.objects.filter(dossier__in=level3).exists()


def test_on_time_ratio_close_to_the_one_asked():
    agency = make_agency()
    result = generate(agency, dossiers=400, online=100, ratio=0.8)
    completed = Dossier.objects.filter(agency=agency, status=DossierStatus.COMPLETED)
    on_time = 0
    for dossier in completed:
        issued = dossier.events.filter(to_status=DossierStatus.RESULT_READY).order_by("created_at").first()
        on_time += issued.created_at <= dossier.due_at
    assert on_time / completed.count() == pytest.approx(0.8, abs=0.04)
    assert result.on_time == on_time
    # The overdue sweep saw the late ones past their appointment (a supplement may move it later again).
    for dossier in completed.filter(events__action="request_supplement").distinct().exclude(overdue_flagged_at=None):
        assert dossier.overdue_flagged_at > dossier.received_at
    plain = completed.exclude(events__action="request_supplement")
    flagged = [d for d in plain if d.overdue_flagged_at is not None]
    assert flagged and all(
        d.due_at < d.overdue_flagged_at <= d.due_at + timezone.timedelta(minutes=15) for d in flagged
    )
    assert all(d.completed_at > d.due_at for d in flagged)


def test_hours_online_at_any_hour_counter_in_office_hours_on_working_days():
    agency = make_agency()
    generate(agency, dossiers=400, online=200)
    opens, closes = office_hours()
    tz = office_time_zone()
    online_outside = 0
    for channel, submitted_at in Dossier.objects.filter(agency=agency).values_list("channel", "submitted_at"):
        local = submitted_at.astimezone(tz)
        in_hours = is_working_day(local.date()) and opens <= local.time() < closes
        if channel == "online":
            online_outside += not in_hours
        else:
            assert in_hours
    assert online_outside > 20  # evenings, nights and weekends


def test_ratings_only_for_completed_dossiers_after_completion():
    agency = make_agency()
    result = generate(agency, dossiers=300, online=100)
    ratings = Rating.objects.filter(dossier__agency=agency).select_related("dossier")
    assert ratings.count() == result.ratings > 0
    for rating in ratings:
        assert rating.dossier.status == DossierStatus.COMPLETED and rating.created_at > rating.dossier.completed_at
        assert 1 <= rating.score <= 5


def test_history_up_to_now_leaves_recent_dossiers_open():
    agency = make_agency()
    generate(agency, dossiers=200, online=60, year=2026, months="11")
    dossiers = Dossier.objects.filter(agency=agency)
    assert in_period(dossiers, 2026, 11, 11).count() == 200
    assert not dossiers.filter(submitted_at__gt=NOW).exists()
    assert not DossierEvent.objects.filter(dossier__agency=agency, created_at__gt=NOW).exists()
    assert dossiers.filter(status__in=rules.OPEN_STATUSES).exists()


def test_level4_count_and_synthetic_procedures_when_too_few():
    agency = make_agency(procedures=[{"online_level": OnlineLevel.LEVEL_3}, {"online_level": OnlineLevel.LEVEL_3}])
    out = StringIO()
    call_command(
        "generate_history", "--agency", agency.code, "--year", "2020", "--dossiers", "50", "--online", "10",
        "--level4", "4", "--no-progress", stdout=out, stderr=StringIO(),
    )  # fmt: skip
    assert agency.procedures.filter(online_level=OnlineLevel.LEVEL_4).count() == 4
    assert agency.procedures.count() == 4
    text = out.getvalue()
    assert "Đã tạo thủ tục mô phỏng" in text and "Xong trong" in text
    assert in_period(Dossier.objects.filter(agency=agency), 2020).count() == 50


def test_level4_lower_than_offered_brings_the_extra_ones_down():
    agency = make_agency()
    generate(agency, dossiers=30, online=5, level4=1)
    assert agency.procedures.filter(online_level=OnlineLevel.LEVEL_4).count() == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--agency", "khong-co", "--year", "2020", "--dossiers", "10", "--online", "1"], "Không tìm thấy cơ quan"),
        (["--year", "2020", "--dossiers", "10", "--online", "11"], "--online phải là số nguyên từ 0"),
        (["--year", "2020", "--dossiers", "0", "--online", "0"], "--dossiers phải là số nguyên"),
        (["--year", "2020", "--dossiers", "10", "--online", "1", "--on-time-ratio", "1.5"], "--on-time-ratio"),
        (["--year", "2020", "--dossiers", "10", "--online", "1", "--months", "7-3"], "--months"),
        (["--year", "2020", "--dossiers", "10", "--online", "1", "--level4", "-1"], "--level4"),
        (["--year", "2999", "--dossiers", "10", "--online", "1"], "--year phải là năm"),
        (["--year", "2020", "--dossiers", "10", "--online", "1", "--seed", "-3"], "--seed"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(options, message):
    agency = make_agency()
    if "--agency" not in options:
        options = ["--agency", agency.code, *options]
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("generate_history", *options, "--no-progress", stdout=StringIO(), stderr=StringIO())
    assert not Dossier.objects.exists()


def test_a_period_not_yet_begun_is_refused():
    agency = make_agency()
    with pytest.raises(Exception, match="chưa bắt đầu"):
        generate(agency, dossiers=10, online=1, year=2026, months="12")


@pytest.mark.django_db
def test_the_queue_counts_are_those_of_the_generated_rows():
    """The queue's tabs read kept per-status counts that the workflow moves; a run bypasses it, so it
    recounts the agency's (and only that agency's) counts at the end."""
    elsewhere = factories.AgencyFactory()
    QueueCount.objects.create(agency=elsewhere, status=DossierStatus.SUBMITTED, count=7)
    agency = make_agency()
    generate(agency, dossiers=200, online=60)
    kept = dict(QueueCount.objects.filter(agency=agency).values_list("status", "count"))
    counted = Counter(
        Dossier.objects.filter(agency=agency).exclude(status=DossierStatus.DRAFT).values_list("status", flat=True)
    )
    assert kept == dict(counted) and sum(kept.values()) >= 200
    assert QueueCount.objects.get(agency=elsewhere).count == 7
