"""history_generate: a period of an agency's history, written in one transaction."""

import gc
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction

import portal.clock as clock
from dossiers.constants import DossierStatus, IntakeChannel
from dossiers.models import Attachment, Dossier, DossierEvent, Rating
from dossiers.queue_counts import queue_counts_rebuild
from figures.history import rows
from figures.history.catalog import FeeTable, agency_procedures, fill_form, form_template
from figures.history.clock import OfficeClock
from figures.history.load import analyze_tables, check_references, writer_for_connection
from figures.history.params import HistoryRequest, seeded
from figures.history.people import applicant_pool, officials_for
from figures.history.plan import NoWorkingDay, arrivals
from figures.history.replay import DossierState, Replay
from figures.history.story import SHARES, Fate, Story
from figures.history.world import CodeCounters, ReceiptCounters, World, local_day, sample_files
from figures.rollups import rebuild_rollups
from payments.models import Payment, PaymentEvent
from payments.providers.base import get_provider
from procedures.calendar import office_time_zone
from procedures.constants import DeliveryMethod, OnlineLevel

ERR_NO_WORKING_DAY = "Khoảng thời gian đã qua chưa có ngày làm việc nào để nhận hồ sơ tại quầy."
ERR_NO_PROCEDURE = "Cơ quan không có thủ tục nào dùng được (cần nhận kết quả tại quầy hoặc trực tuyến)."
BATCH = 10_000
POOL_SHARE = 6  # about one citizen account for every six dossiers
POOL_BOUNDS = (20, 50_000)
CALENDAR_SLACK = timedelta(days=800)  # appointments, supplements and late results beyond the period
# A load this big changes the tables' statistics: the planner is told before the rollups are rebuilt.
ANALYZE_AFTER_DOSSIERS = 10_000


class HistoryRefused(ValueError):
    pass


@dataclass
class HistoryResult:
    agency_id: int
    date_from: date
    date_to: date
    now: datetime
    dossiers: int = 0
    received: Counter = field(default_factory=Counter)
    fates: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    on_time: int = 0
    late: int = 0
    supplements: int = 0
    payments: Counter = field(default_factory=Counter)
    ratings: int = 0
    events: int = 0
    attachments: int = 0
    catalog: object = None
    officials_created: list = field(default_factory=list)
    citizens_created: int = 0
    citizens: int = 0
    last_moment: datetime | None = None
    rollup_rows: int = 0
    load_seconds: float = 0.0
    rollup_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def on_time_ratio(self) -> float | None:
        """Completed dossiers whose result was issued by the appointment (as figures.rollups judges them)."""
        finished = self.on_time + self.late
        return self.on_time / finished if finished else None


@dataclass
class Cast:
    """Who and what the dossiers draw on, written (and committed) before the dossiers are."""

    procedures: list
    templates: list
    officials: object
    pool: list


def _usable(procedures: list, *, sample, seed: int) -> tuple[list, list, list]:
    """(procedures, their e-form answers, codes left out): a procedure needs a counter or online result
    and an e-form the generator can answer."""
    rng = seeded(seed, "forms")
    usable, templates, skipped = [], [], []
    for procedure in procedures:
        methods = set(procedure.delivery_methods) & {DeliveryMethod.COUNTER, DeliveryMethod.ONLINE}
        template = form_template(procedure, rng=rng, sample=sample) if methods else None
        if template is None:
            skipped.append(procedure.code)
            continue
        usable.append(procedure)
        templates.append(template)
    return usable, templates, skipped


def _cast(request: HistoryRequest, result: HistoryResult) -> Cast:
    with transaction.atomic():
        procedures, result.catalog = agency_procedures(
            agency=request.agency, level4=request.level4, needs_online=request.online > 0, seed=request.seed
        )
        officials = officials_for(agency=request.agency, seed=request.seed, joined_before=request.start)
        pool_size = max(POOL_BOUNDS[0], min(POOL_BOUNDS[1], request.dossiers // POOL_SHARE))
        pool, result.citizens_created = applicant_pool(size=pool_size, seed=request.seed, joined_before=request.start)
    result.officials_created, result.citizens = officials.created, len(pool)
    usable, templates, skipped = _usable(procedures, sample=pool[0], seed=request.seed)
    result.catalog.skipped += skipped
    if not usable:
        raise HistoryRefused(ERR_NO_PROCEDURE)
    return Cast(usable, templates, officials, pool)


def _delivery(procedure, channel: str, rng) -> str:
    methods = procedure.delivery_methods
    online_result = (
        channel == IntakeChannel.ONLINE
        and DeliveryMethod.ONLINE in methods
        and procedure.online_level == OnlineLevel.LEVEL_4
        and rng.random() < SHARES.result_online
    )
    if online_result or DeliveryMethod.COUNTER not in methods:
        return DeliveryMethod.ONLINE
    return DeliveryMethod.COUNTER


def _online_extras(request: HistoryRequest) -> dict[str, int]:
    """Online dossiers sent but never received, on top of the N received (a share of the online ones)."""
    shares = {Fate.REJECTED: SHARES.rejected_online, Fate.WITHDRAWN: SHARES.withdrawn_online}
    shares[Fate.UNPAID] = SHARES.unpaid_online
    return {fate: round(request.online * share) for fate, share in shares.items()}


def _unpaid_candidates(cast: Cast, fees: FeeTable, day: date) -> set[int]:
    """Procedures whose online dossiers wait for an online payment (level 4 with a fee)."""
    return {
        n
        for n, p in enumerate(cast.procedures)
        if p.online_level == OnlineLevel.LEVEL_4 and fees.breakdown(procedure=p, channel="online", day=day).total
    }


def _tally(result: HistoryResult, d: DossierState, fate: str) -> None:
    result.dossiers += 1
    result.fates[fate] += 1
    if d.received_at is not None:
        result.received[d.channel] += 1
    result.statuses[d.status] += 1
    result.events += len(d.events)
    result.attachments += len(d.attachments)
    result.supplements += sum(event[0] == "request_supplement" for event in d.events)
    for payment in d.payments:
        result.payments[payment.status] += 1
    result.ratings += d.rating is not None
    last = max(d.updated_at, d.rating[2] if d.rating else d.updated_at, *(p.updated_at for p in d.payments))
    if result.last_moment is None or last > result.last_moment:
        result.last_moment = last
    if d.status == DossierStatus.COMPLETED:
        issued = next(event[-1] for event in d.events if event[2] == DossierStatus.RESULT_READY)
        if issued <= d.due_at:
            result.on_time += 1
        else:
            result.late += 1


def _write_batch(writer, states: list[DossierState], *, agency_id: int, paper) -> tuple[list[int], list[int]]:
    ids = writer.reserve(Dossier, len(states))
    payment_ids = writer.reserve(Payment, sum(len(d.payments) for d in states))
    attachment_ids = iter(writer.reserve(Attachment, sum(len(d.attachments) for d in states)))
    dossier_rows, event_rows, attachment_rows, payment_rows, payment_event_rows, rating_rows = [], [], [], [], [], []
    taken = 0
    for d, dossier_id in zip(states, ids, strict=True):
        for attachment in d.attachments:
            attachment.data["attachment"] = next(attachment_ids)  # its audit event names it
        attachment_rows += rows.attachment_rows(d, dossier_id=dossier_id, paper=paper)
        dossier_rows.append(rows.dossier_row(d, dossier_id=dossier_id, agency_id=agency_id))
        event_rows += rows.event_rows(d, dossier_id=dossier_id)
        if d.payments:
            mine = payment_ids[taken : taken + len(d.payments)]
            taken += len(d.payments)
            p_rows, pe_rows = rows.payment_rows(d, dossier_id=dossier_id, payment_ids=mine)
            payment_rows += p_rows
            payment_event_rows += pe_rows
        if d.rating is not None:
            rating_rows.append(rows.rating_row(d, dossier_id=dossier_id))
    writer.write(Dossier, rows.DOSSIER_COLUMNS, dossier_rows)
    writer.write(Attachment, rows.ATTACHMENT_COLUMNS, attachment_rows)
    writer.write(DossierEvent, rows.EVENT_COLUMNS, event_rows)
    writer.write(Payment, rows.PAYMENT_COLUMNS, payment_rows)
    writer.write(PaymentEvent, rows.PAYMENT_EVENT_COLUMNS, payment_event_rows)
    writer.write(Rating, rows.RATING_COLUMNS, rating_rows)
    return ids, payment_ids


def _scopes(dossier_ids: list[int], payment_ids: list[int]) -> dict:
    """The id ranges the run wrote (live rows written meanwhile fall inside too: checking them is harmless)."""
    low, high = min(dossier_ids), max(dossier_ids)
    scopes = {model: ("dossier_id", low, high) for model in (DossierEvent, Attachment, Payment, Rating)}
    scopes[Dossier] = ("id", low, high)
    if payment_ids:
        scopes[PaymentEvent] = ("payment_id", min(payment_ids), max(payment_ids))
    return scopes


class History:
    """One run: the plan of arrivals, then each dossier's story, written in batches."""

    def __init__(self, request: HistoryRequest, result: HistoryResult, now: datetime):
        self.request, self.result, self.now = request, result, now
        self.end = min(request.end, now)
        self.cast = _cast(request, result)
        self.clock = OfficeClock(request.start.date() - timedelta(days=7), self.end.date() + CALENDAR_SLACK)
        self.rng = seeded(
            request.seed, f"{request.agency.code}:{request.year}:{request.first_month}-{request.last_month}"
        )
        self.world = self._world()
        self.plan = self._plan()
        self.story = Story(self.world, Replay(self.world), self.rng, on_time_ratio=request.on_time_ratio)

    def _world(self) -> World:
        result_file, paper = sample_files()
        documents = {p.pk: list(p.required_documents.order_by("position", "id")) for p in self.cast.procedures}
        return World(
            clock=self.clock,
            now=self.now,
            fees=FeeTable(),
            officials=self.cast.officials,
            provider=get_provider().name,
            payment_expiry_minutes=settings.PAYMENT_EXPIRY_MINUTES,
            rng=self.rng,
            result_file=result_file.name,
            paper=paper,
            end_position=self.clock.position(self.end),
            documents_by_procedure=documents,
            mandatory_by_procedure={pk: [d for d in docs if d.mandatory] for pk, docs in documents.items()},
            seed=self.request.seed,
        )

    def _plan(self) -> list:
        request = self.request
        try:
            return arrivals(
                rng=self.rng, clock=self.clock, procedures=self.cast.procedures, start=request.start, end=self.end,
                online=request.online, offline=request.dossiers - request.online,
                postal_share=SHARES.postal_of_offline, online_extras=_online_extras(request),
                unpaid_procedures=_unpaid_candidates(self.cast, self.world.fees, request.start.date()),
            )  # fmt: skip
        except NoWorkingDay as exc:
            raise HistoryRefused(ERR_NO_WORKING_DAY) from exc

    def dossiers(self, codes: CodeCounters):
        """Each arrival's dossier after its story, in submission order."""
        cast, rng, world = self.cast, self.rng, self.world
        for submitted_at, channel, index, fate in self.plan:
            procedure = cast.procedures[index]
            applicant = cast.pool[rng.randrange(len(cast.pool))]
            code = codes.take(submitted_at)
            d = DossierState(
                procedure=procedure,
                applicant=applicant,
                channel=channel,
                delivery_method=_delivery(procedure, channel, rng),
                public_id=world.uuid(code),
            )
            d.code = code
            d.form_data = fill_form(cast.templates[index], procedure, applicant)
            self.story.live(d, submitted_at, fate)
            yield d, fate

    def write(self, writer, progress) -> None:
        request, result, total = self.request, self.result, len(self.plan)
        codes = writer.call(lambda: CodeCounters(request.agency))
        years = range(request.start.year, self.end.year + 1)
        self.world.receipts = writer.call(lambda: ReceiptCounters.locked(years))
        dossier_ids, payment_ids, batch = [], [], []
        for n, (d, fate) in enumerate(self.dossiers(codes), start=1):
            _tally(result, d, fate)
            batch.append(d)
            if len(batch) >= BATCH or n == total:
                ids, paid = _write_batch(writer, batch, agency_id=request.agency.pk, paper=self.world.paper)
                dossier_ids += ids[:1] + ids[-1:]
                payment_ids += paid[:1] + paid[-1:]
                batch = []
                if progress is not None:
                    progress(n, total)
        writer.call(codes.save)
        writer.call(self.world.receipts.save)
        if writer.references_unchecked and dossier_ids:
            writer.call(lambda: check_references(_scopes(dossier_ids, payment_ids)))


def history_generate(
    request: HistoryRequest, *, progress: Callable[[int, int], None] | None = None, now: datetime | None = None
) -> HistoryResult:
    """Write the request's dossiers, their events, papers, payments and ratings, as the workflow would have.

    The procedures, officials and citizens they need are written (and committed) first; the dossiers
    and everything after them in one transaction with the number counters locked: a run that fails
    leaves no dossier behind.
    """
    started = time.monotonic()
    rows.check_columns()
    now = now or clock.now()
    result = HistoryResult(agency_id=request.agency.pk, date_from=request.start.date(), date_to=local_day(now), now=now)
    history = History(request, result, now)
    writer = writer_for_connection()
    committed = False
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects, none in a cycle: the collector would rescan them again and again
    try:
        history.write(writer, progress)
        committed = True
    finally:
        writer.finish(commit=committed)
        if gc_was_enabled:
            gc.enable()
    result.load_seconds = time.monotonic() - started
    if result.dossiers >= ANALYZE_AFTER_DOSSIERS:
        analyze_tables()
    _rebuild_rollups(request, result)
    # The queue's kept per-status counts are moved by workflow.transition, which a bulk load bypasses.
    queue_counts_rebuild(agency_ids=[request.agency.pk])
    result.seconds = time.monotonic() - started
    return result


def _rebuild_rollups(request: HistoryRequest, result: HistoryResult) -> None:
    """The agency's daily rollups of every day the run wrote something on (up to today), rebuilt once
    after the commit (the per-move recomputes figures.receivers queues live are not queued by a run)."""
    started = time.monotonic()
    last = result.last_moment.astimezone(office_time_zone()).date() if result.last_moment else result.date_from
    result.date_to = max(result.date_from, min(last, local_day(result.now)))
    result.rollup_rows = rebuild_rollups(
        date_from=result.date_from, date_to=result.date_to, agency_ids=[request.agency.pk]
    )
    result.rollup_seconds = time.monotonic() - started
