"""What every background task of the portal shares (Celery's app is created with this task class).

A task is acknowledged only once it has finished and is given back to the queue if its worker dies,
so every task must be safe to run twice. Transient database errors are retried with exponential
backoff and jitter; a task's own retryable errors are named in its decorator, with these defaults.
"""

from celery import Task
from django.db import InterfaceError, OperationalError

# Waits between retries stay under the broker's visibility timeout (settings: 120 s by default): a
# message held by a worker for a later retry longer than that is handed to a second worker too.
RETRY_BACKOFF_MAX = 60
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class BackgroundTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 5
    retry_backoff_max = RETRY_BACKOFF_MAX
    retry_jitter = True
    max_retries = 5
