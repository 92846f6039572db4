"""What a history run is asked for, checked before anything is written."""

import random
import re
from dataclasses import dataclass
from datetime import date, datetime

import portal.clock as clock
from procedures.calendar import office_time_zone
from procedures.models import Agency

ERR_AGENCY = "Không tìm thấy cơ quan có mã “{code}” (hoặc cơ quan đã ngừng hoạt động)."
ERR_DOSSIERS = "--dossiers phải là số nguyên từ 1 đến {most}."
ERR_ONLINE = "--online phải là số nguyên từ 0 đến số hồ sơ (--dossiers {dossiers}); đã cho {online}."
ERR_RATIO = "--on-time-ratio phải là số từ 0 đến 1 (ví dụ 0.95); đã cho “{value}”."
ERR_LEVEL4 = "--level4 phải là số nguyên từ 0 đến {most}."
ERR_YEAR = "--year phải là năm từ {first} đến {last}."
ERR_MONTHS = "--months phải có dạng THÁNG hoặc TỪ-ĐẾN với các tháng từ 1 đến 12 (ví dụ 1-6); đã cho “{value}”."
ERR_FUTURE = "Khoảng thời gian {start:%d/%m/%Y}–{end:%d/%m/%Y} chưa bắt đầu: không sinh lịch sử cho tương lai."
ERR_SEED = "--seed phải là số nguyên không âm."

MAX_DOSSIERS = 5_000_000
MAX_LEVEL4 = 2_000
FIRST_YEAR = 2000
DEFAULT_ON_TIME_RATIO = 0.97
MONTHS_RE = re.compile(r"^\s*(\d{1,2})\s*(?:-\s*(\d{1,2})\s*)?$")


class HistoryInputError(ValueError):
    """Input the generator refuses; the message is for the person who typed it."""


@dataclass(frozen=True)
class HistoryRequest:
    agency: Agency
    year: int
    first_month: int
    last_month: int
    dossiers: int
    online: int
    on_time_ratio: float
    level4: int | None
    seed: int

    @property
    def start(self) -> datetime:
        """The period's first moment, in office time."""
        return datetime(self.year, self.first_month, 1, tzinfo=office_time_zone())

    @property
    def end(self) -> datetime:
        """The moment after the period (exclusive)."""
        year, month = (self.year + 1, 1) if self.last_month == 12 else (self.year, self.last_month + 1)
        return datetime(year, month, 1, tzinfo=office_time_zone())


def parse_months(value: str | None) -> tuple[int, int]:
    match = MONTHS_RE.match(value or "1-12")
    if not match:
        raise HistoryInputError(ERR_MONTHS.format(value=value))
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if not 1 <= first <= last <= 12:
        raise HistoryInputError(ERR_MONTHS.format(value=value))
    return first, last


def _whole(value, *, low: int, high: int, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise HistoryInputError(message)
    return value


def history_request(
    *,
    agency_code: str,
    year: int,
    dossiers: int,
    online: int,
    on_time_ratio: float | None = None,
    level4: int | None = None,
    seed: int = 1,
    months: str | None = None,
    now: datetime | None = None,
) -> HistoryRequest:
    """The checked request, or HistoryInputError with a Vietnamese message naming the option."""
    now = now or clock.now()
    this_year = now.astimezone(office_time_zone()).year
    year = _whole(year, low=FIRST_YEAR, high=this_year, message=ERR_YEAR.format(first=FIRST_YEAR, last=this_year))
    first_month, last_month = parse_months(months)
    dossiers = _whole(dossiers, low=1, high=MAX_DOSSIERS, message=ERR_DOSSIERS.format(most=f"{MAX_DOSSIERS:,}"))
    online = _whole(online, low=0, high=dossiers, message=ERR_ONLINE.format(dossiers=dossiers, online=online))
    ratio = DEFAULT_ON_TIME_RATIO if on_time_ratio is None else on_time_ratio
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio <= 1:
        raise HistoryInputError(ERR_RATIO.format(value=on_time_ratio))
    if level4 is not None:
        level4 = _whole(level4, low=0, high=MAX_LEVEL4, message=ERR_LEVEL4.format(most=MAX_LEVEL4))
    seed = _whole(seed, low=0, high=2**63 - 1, message=ERR_SEED)
    agency = Agency.objects.filter(code=(agency_code or "").strip(), is_active=True).first()
    if agency is None:
        raise HistoryInputError(ERR_AGENCY.format(code=agency_code))
    request = HistoryRequest(
        agency=agency,
        year=year,
        first_month=first_month,
        last_month=last_month,
        dossiers=dossiers,
        online=online,
        on_time_ratio=float(ratio),
        level4=level4,
        seed=seed,
    )
    if request.start >= now:
        last_day = date.fromordinal(request.end.date().toordinal() - 1)
        raise HistoryInputError(ERR_FUTURE.format(start=request.start, end=last_day))
    return request


def seeded(seed: int, label: str = "") -> random.Random:
    """A pseudo-random stream for synthetic data (never for secrets): the same seed and label, the same draws."""
    return random.Random(f"{seed}:{label}" if label else seed)  # noqa: S311
