"""The courier simulator's own operations: booking, each step of the round, and its notices to the portal.

It behaves like a post office towards the portal: parcels move on a schedule of their own (a share of
deliveries fail and go back to the sender), every step is reported in a signed notice, and notices
that were not acknowledged are sent again with backoff.
"""

import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

import portal.clock as clock
from portal.background import enqueue, enqueue_on_commit
from portal.errors import ServiceError
from portal.webhooks import DeliveryFailed, post_signed
from postal import signing
from postal.constants import FINAL_STATUSES, ShipmentStatus
from postal.providers.mockpost.models import Parcel, ParcelNotice
from postal.services import shipment_notice_receive
from procedures.addresses import short_name

S = ShipmentStatus
DELIVER_NOTICE_TASK = "postal.providers.mockpost.tasks.deliver_parcel_notice"

NEXT_STEP = {
    S.CREATED: S.PICKED_UP,
    S.PICKED_UP: S.IN_TRANSIT,
    S.IN_TRANSIT: S.OUT_FOR_DELIVERY,
    S.OUT_FOR_DELIVERY: S.DELIVERED,
    S.FAILED: S.RETURNED,
}
# A parcel can fail anywhere before it is delivered (lost, damaged, nobody home); failed, it goes back.
FAILABLE = frozenset({S.CREATED, S.PICKED_UP, S.IN_TRANSIT, S.OUT_FOR_DELIVERY})
# Hours a parcel spends in a status before its next step, within the province / to another province:
# collected from the counter the same day, sorted, carried, one round of the postman, a week's wait
# at the post office before a failed parcel goes back.
HOURS_IN_STATUS = {
    S.CREATED: (2, 2),
    S.PICKED_UP: (4, 6),
    S.IN_TRANSIT: (12, 36),
    S.OUT_FOR_DELIVERY: (4, 4),
    S.FAILED: (24, 48),
}
TRACKING_PREFIX, TRACKING_COUNTRY = "RB", "VN"
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


class NoticeRejected(Exception):
    """The portal did not answer 2xx; the notice stays queued and is sent again."""


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an 8-digit serial, as printed on every registered item."""
    remainder = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def new_tracking_number() -> str:
    serial = f"{secrets.randbelow(10**8):08d}"
    return f"{TRACKING_PREFIX}{serial}{s10_check_digit(serial)}{TRACKING_COUNTRY}"


def next_step_at(parcel: Parcel, now):
    if parcel.status in FINAL_STATUSES:
        return None
    within, between = HOURS_IN_STATUS[parcel.status]
    hours = within if parcel.same_province else between
    return now + timedelta(hours=hours * settings.MOCKPOST_TIME_SCALE)


@transaction.atomic
def parcel_book(*, merchant_reference, sender_name, sender_address, recipient, cod_amount, same_province) -> Parcel:
    """Accept a parcel; booking the same reference again gives back the parcel already booked."""
    existing = Parcel.objects.filter(merchant_reference=merchant_reference).first()
    if existing:
        return existing
    now = clock.now()
    parcel = Parcel(
        merchant_reference=merchant_reference,
        sender_name=sender_name,
        sender_address=sender_address,
        recipient=recipient,
        cod_amount=cod_amount,
        same_province=same_province,
        created_at=now,
    )
    parcel.next_step_at = next_step_at(parcel, now)
    for _attempt in range(5):  # a serial already handed out: draw another
        parcel.tracking_number = new_tracking_number()
        try:
            with transaction.atomic():
                parcel.save()
            return parcel
        except IntegrityError:
            parcel.pk = None
    raise IntegrityError("no free tracking number")


def location_of(parcel: Parcel, status: str) -> str:
    address = parcel.recipient or {}
    province, commune = short_name(address.get("province", "")), address.get("commune", "")
    places = {
        S.PICKED_UP: parcel.sender_name,
        S.IN_TRANSIT: f"Trung tâm khai thác chia chọn {province}".strip(),
        S.OUT_FOR_DELIVERY: ", ".join(p for p in (f"Bưu cục phát {commune}".strip(), province) if p),
        S.RETURNED: parcel.sender_name,
    }
    doorstep = ", ".join(address.get(k, "") for k in ("street", "commune", "district", "province") if address.get(k))
    return places.get(status, doorstep)[:255]


@transaction.atomic
def parcel_step(*, tracking_number: str, fail: bool = False, now=None) -> Parcel:
    """The parcel's next step (or a failed delivery), reported to the portal. A final parcel stays as it is."""
    parcel = Parcel.objects.select_for_update().get(tracking_number=tracking_number)
    if parcel.status in FINAL_STATUSES or (fail and parcel.status not in FAILABLE):
        return parcel
    now = now or clock.now()
    parcel.status = S.FAILED if fail else NEXT_STEP[parcel.status]
    parcel.next_step_at = next_step_at(parcel, now)
    parcel.save(update_fields=["status", "next_step_at"])
    notice_queue(parcel, occurred_at=now)
    return parcel


def delivery_fails() -> bool:
    """Whether this delivery attempt fails: MOCKPOST_FAILED_DELIVERY_PERCENT of them do."""
    return secrets.randbelow(100) < settings.MOCKPOST_FAILED_DELIVERY_PERCENT


def parcels_due(*, now=None, limit: int = 500) -> list[str]:
    now = now or clock.now()
    return list(
        Parcel.objects.filter(next_step_at__lte=now)
        .exclude(status__in=FINAL_STATUSES)
        .order_by("next_step_at")
        .values_list("tracking_number", flat=True)[:limit]
    )


def parcels_advance_due(*, now=None) -> int:
    """Every parcel whose time has come takes its next step; a share of delivery attempts fail."""
    moved = 0
    for tracking_number in parcels_due(now=now):
        status = Parcel.objects.values_list("status", flat=True).get(tracking_number=tracking_number)
        fail = status == S.OUT_FOR_DELIVERY and delivery_fails()
        parcel_step(tracking_number=tracking_number, fail=fail, now=now)
        moved += 1
    return moved


def notice_body(parcel: Parcel, *, occurred_at) -> str:
    body = {
        "tracking_number": parcel.tracking_number,
        "status": parcel.status,
        "occurred_at": occurred_at.isoformat(),
        "location": location_of(parcel, parcel.status),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def notice_queue(parcel: Parcel, *, occurred_at) -> ParcelNotice:
    notice = ParcelNotice.objects.create(
        parcel=parcel, status=parcel.status, body=notice_body(parcel, occurred_at=occurred_at)
    )
    enqueue_on_commit(DELIVER_NOTICE_TASK, notice.pk, description=f"courier notice {notice.pk}")
    return notice


def notice_deliver(*, notice_id: int) -> ParcelNotice:
    """Sign (with a fresh timestamp) and send one notice; a refusal is recorded and re-raised for a retry."""
    with transaction.atomic():
        notice = ParcelNotice.objects.select_for_update().get(pk=notice_id)
        if notice.delivered_at:
            return notice
        notice.attempts += 1
        notice.save(update_fields=["attempts"])
    body = notice.body.encode()
    try:
        post_notice(body, signing.sign(body))
    except NoticeRejected as exc:
        ParcelNotice.objects.filter(pk=notice_id).update(last_error=str(exc)[:500])
        raise
    ParcelNotice.objects.filter(pk=notice_id).update(delivered_at=clock.now(), last_error="")
    notice.refresh_from_db()
    return notice


def post_notice(body: bytes, signature: str) -> None:
    """Deliver over HTTP when MOCKPOST_NOTICE_URL is set; otherwise hand the raw bytes to the portal in-process."""
    url = settings.MOCKPOST_NOTICE_URL
    try:
        if url:
            post_signed(url, body, signature)
        else:
            shipment_notice_receive(raw_body=body, signature=signature)
    except ServiceError as exc:
        raise NoticeRejected(f"{exc.status_code} {exc.as_dict()}") from exc
    except DeliveryFailed as exc:
        raise NoticeRejected(str(exc)) from exc


def notices_undelivered(*, limit: int = 200) -> list[int]:
    return list(
        ParcelNotice.objects.filter(delivered_at__isnull=True, attempts__lt=settings.MOCKPOST_NOTICE_MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def notices_redeliver() -> int:
    """Notices whose task was lost (broker outage, retries used up early) are queued again."""
    ids = notices_undelivered()
    for notice_id in ids:
        enqueue(DELIVER_NOTICE_TASK, notice_id, description=f"courier notice {notice_id}")
    return len(ids)
