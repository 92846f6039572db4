"""The portal runs without its gateway simulator when another provider is configured.

.ci/run also runs the dossier tests with these settings; here the system checks run in a fresh
process, since INSTALLED_APPS cannot change inside this one.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.settings_without_mockpay"


def run_manage(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_manage_check_passes_without_the_simulator():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_the_simulator_its_app_pages_and_periodic_jobs_are_gone():
    script = (
        "from django.apps import apps; from django.urls import resolve, Resolver404; from portal.celery import app\n"
        "assert not apps.is_installed('payments.providers.mockpay')\n"
        "try:\n    resolve('/payments/gateway/pay/MP1/')\nexcept Resolver404:\n    print('no gateway page')\n"
        "print(sorted(name for name in app.conf.beat_schedule if name.startswith('mockpay')))\n"
    )
    result = run_manage("shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["no gateway page", "[]"]
