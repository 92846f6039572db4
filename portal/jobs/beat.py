"""The beat scheduler, which also shows it is alive: /healthz reads the time of its last tick."""

import logging
import time

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

from portal.jobs import services

logger = logging.getLogger(__name__)


class HeartbeatScheduler(DatabaseScheduler):
    _heartbeat_due = 0.0

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        now = time.monotonic()
        if now >= self._heartbeat_due:
            try:
                services.heartbeat_record(name="beat")
            except Exception:  # a database outage: healthz then reports beat (and the database) as down
                logger.warning("Could not record the beat heartbeat", exc_info=True)
            else:
                self._heartbeat_due = now + settings.HEALTH_HEARTBEAT_SECONDS
        return min(interval, settings.HEALTH_HEARTBEAT_SECONDS)
