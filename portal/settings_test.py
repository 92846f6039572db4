"""Test settings: only what makes the suite fast and hermetic, never other behaviour."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijklmnop")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("PAYMENT_GATEWAY_SECRET", "test-gateway-secret-0123456789")
os.environ.setdefault("POSTAL_WEBHOOK_SECRET", "test-courier-secret-0123456789")
os.environ.setdefault("MOCKVNEID_HTTP_REDIRECTS", "true")  # the test client's and live server's http callbacks
os.environ.setdefault("VNEID_CLIENT_SECRET", "test-vneid-secret-0123456789")
os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")

from portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="dvc-test-media-")
ESIGN_DIR = tempfile.mkdtemp(prefix="dvc-test-esign-")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if not REDIS_URL:
    CELERY_BROKER_URL = "memory://"
