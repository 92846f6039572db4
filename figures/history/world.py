"""What every generated dossier shares: the clock, now, the fees, the officials, the gateway's name, the
numbers handed out (dossier codes, receipt numbers) and the schedules of the periodic sweeps.

Numbers come from the same counter rows the live services take them from, locked for the run, so a
generated code or receipt number is never handed out again and a live one is never reused.
"""

import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dossiers.models import DossierCodeCounter
from figures.history.catalog import FeeTable
from figures.history.clock import OfficeClock
from figures.history.people import Officials
from figures.history.replay import PaymentRow
from payments.constants import NoticeEvent, PaymentStatus
from payments.models import ReceiptCounter
from portal.pdf import Paper

RESULT_FILE = "results/lich-su/ket-qua-mo-phong.pdf"
PAPER_FILE = "attachments/lich-su/giay-to-mo-phong.pdf"


@dataclass(frozen=True)
class SampleFile:
    name: str
    size: int
    sha256: str


def _sample_file(name: str, heading: str, text: str) -> SampleFile:
    """One stored PDF that every generated dossier points at, so its downloads open."""
    if not default_storage.exists(name):
        paper = Paper(pagesize=(420, 595), margin=36, title=heading)
        paper.heading(heading, subtitle="(dữ liệu lịch sử mô phỏng)")
        paper.paragraph(text)
        default_storage.save(name, ContentFile(paper.render()))
    with default_storage.open(name, "rb") as handle:
        content = handle.read()
    return SampleFile(name, len(content), hashlib.sha256(content).hexdigest())


def sample_files() -> tuple[SampleFile, SampleFile]:
    """(the result document, the applicant's paper) of generated dossiers."""
    result = _sample_file(
        RESULT_FILE, "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "Tệp đứng thay cho kết quả của hồ sơ lịch sử mô phỏng."
    )
    paper = _sample_file(PAPER_FILE, "GIẤY TỜ KÈM THEO HỒ SƠ", "Tệp đứng thay cho giấy tờ của hồ sơ lịch sử mô phỏng.")
    return result, paper


class CodeCounters:
    """dossiers.services.submission.dossier_code_take for a whole run: the agency's counter rows locked.

    `take` gets the day in the portal's local time, as assign_code_and_fee dates the code."""

    def __init__(self, agency):
        self.agency = agency
        rows = DossierCodeCounter.objects.select_for_update().filter(agency=agency)
        self.last = {row.day: row.last_value for row in rows}
        self.known = set(self.last)
        self.tz = timezone.get_current_timezone()
        self._prefix: dict = {}

    def take(self, moment: datetime) -> str:
        day = moment.astimezone(self.tz).date()
        value = self.last.get(day, 0) + 1
        self.last[day] = value
        prefix = self._prefix.get(day)
        if prefix is None:
            prefix = self._prefix[day] = f"{self.agency.code}-{day:%y%m%d}-"
        return f"{prefix}{value:04d}"

    def save(self) -> None:
        for day in self.known:
            DossierCodeCounter.objects.filter(agency=self.agency, day=day).update(last_value=self.last[day])
        DossierCodeCounter.objects.bulk_create(
            [
                DossierCodeCounter(agency=self.agency, day=day, last_value=v)
                for day, v in self.last.items()
                if day not in self.known
            ]
        )


class ReceiptCounters:
    """payments.services.core.receipt_number_take for a whole run: the years' counter rows locked."""

    def __init__(self, last: dict[int, int] | None = None):
        self.last = last or {}

    @classmethod
    def locked(cls, years) -> "ReceiptCounters":
        ReceiptCounter.objects.bulk_create([ReceiptCounter(year=year) for year in years], ignore_conflicts=True)
        rows = ReceiptCounter.objects.select_for_update().filter(year__in=list(years))
        return cls({row.year: row.last_value for row in rows})

    def take(self, year: int) -> str:
        self.last[year] += 1
        return f"BL{year}-{self.last[year]:07d}"

    def save(self) -> None:
        for year, value in self.last.items():
            ReceiptCounter.objects.filter(year=year).update(last_value=value)


@dataclass
class World:
    clock: OfficeClock
    now: datetime
    fees: FeeTable
    officials: Officials
    provider: str
    payment_expiry_minutes: int
    rng: random.Random
    result_file: str
    paper: SampleFile
    end_position: float
    documents_by_procedure: dict
    mandatory_by_procedure: dict
    seed: int = 0
    receipts: ReceiptCounters = field(default_factory=ReceiptCounters)
    phases: dict = field(default_factory=dict)

    @property
    def sample_sha256(self) -> str:
        return self.paper.sha256

    def documents(self, procedure) -> list:
        return self.documents_by_procedure[procedure.pk]

    def mandatory_documents(self, procedure) -> list:
        return self.mandatory_by_procedure[procedure.pk]

    @property
    def payment_expiry(self) -> timedelta:
        return timedelta(minutes=self.payment_expiry_minutes)

    def uuid(self, *names) -> uuid.UUID:
        """A version-4 UUID drawn from the seed and names (a dossier code and what it is for): unique as
        the code is, the same on every run that gives the dossier the same code."""
        digest = hashlib.blake2b(f"{self.seed}|{'|'.join(names)}".encode(), digest_size=16).digest()
        return uuid.UUID(bytes=digest, version=4)

    def provider_ref(self, *names) -> str:
        """A gateway reference shaped like the simulator's (its gateway rows are not generated)."""
        return "MP" + self.uuid("gateway", *names).hex[:20].upper()

    def receipt_number(self, year: int) -> str:
        return self.receipts.take(year)

    def sweep_after(self, moment: datetime, interval: int) -> datetime:
        """The first run of a periodic sweep (every `interval` seconds, at a seeded phase) after `moment`."""
        phase = self.phases.get(interval)
        if phase is None:
            phase = self.phases[interval] = self.rng.random() * interval
        ticks = (moment.timestamp() - phase) // interval + 1
        return datetime.fromtimestamp(phase + ticks * interval, UTC)

    def refund_tail(self, payment: PaymentRow, at: datetime) -> None:
        """After refund_pending: the refund task asks the gateway (payments.services.refunds.refund_request),
        then the gateway's refund.succeeded notice moves the payment to refunded."""
        asked = at + timedelta(seconds=self.rng.uniform(1, 30))
        if asked > self.now:
            return
        payment.refund_attempts += 1
        payment.refund_ref = self.provider_ref(payment.provider_ref, "refund", str(payment.refund_attempts))
        payment.updated_at = asked + timedelta(milliseconds=300)
        done = payment.updated_at + timedelta(seconds=self.rng.uniform(5, 180))
        if done > self.now:
            return
        notice = {"occurred_at": (done - timedelta(seconds=0.2)).astimezone(UTC).isoformat(), "amount": payment.amount}
        payment.move(
            PaymentStatus.REFUNDED,
            at=done,
            source="notice",
            event_key=f"{NoticeEvent.REFUND_SUCCEEDED.value}:{payment.refund_ref}",
            data=notice,
        )


def local_day(moment: datetime) -> date:
    """The day a code is dated (submission.assign_code_and_fee: the portal's local date)."""
    return timezone.localtime(moment).date()
