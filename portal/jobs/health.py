"""What /healthz reports: the database, the broker, and whether a worker and beat are alive."""

from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.jobs.models import Heartbeat

OK = "ok"
BROKER_CHECK_TIMEOUT_SECONDS = 2


def health_report() -> dict[str, str]:
    """Each part "ok", or what is wrong with it in a few words."""
    database = _database()
    heartbeats = _heartbeats() if database == OK else None
    return {
        "database": database,
        "broker": _broker(),
        "worker": _fresh(heartbeats, "worker"),
        "beat": _fresh(heartbeats, "beat"),
    }


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return _("không kết nối được: %(error)s") % {"error": _first_line(exc)}
    return OK


def _broker() -> str:
    try:
        with current_app.connection_for_write(
            connect_timeout=BROKER_CHECK_TIMEOUT_SECONDS,
            transport_options={"socket_timeout": BROKER_CHECK_TIMEOUT_SECONDS},
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # whatever the transport raises: refused, timed out, bad credentials
        return _("không kết nối được: %(error)s") % {"error": _first_line(exc)}
    return OK


def _heartbeats() -> dict | None:
    try:
        return dict(Heartbeat.objects.values_list("name", "beat_at"))
    except DatabaseError:
        return None


def _fresh(heartbeats: dict | None, name: str) -> str:
    if heartbeats is None:
        return _("không đọc được nhịp (cơ sở dữ liệu lỗi)")
    beat_at = heartbeats.get(name)
    if beat_at is None:
        return _("chưa từng có nhịp")
    age = timezone.now() - beat_at
    if age > timedelta(seconds=settings.HEALTH_STALE_AFTER_SECONDS):
        return _("không có nhịp từ %(seconds)d giây") % {"seconds": age.total_seconds()}
    return OK


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]
