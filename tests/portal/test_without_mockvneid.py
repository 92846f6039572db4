"""The portal runs without its identity provider simulator when a real issuer is configured.

INSTALLED_APPS cannot change inside this process: the checks run in a fresh one.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.settings_without_mockvneid"


def run_manage(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_manage_check_passes_without_the_simulator():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_the_simulator_its_pages_are_gone_and_the_portal_uses_the_configured_issuer():
    script = (
        "from django.apps import apps; from django.urls import resolve, Resolver404, reverse\n"
        "from portal.celery import app\n"
        "assert not [name for name in app.conf.beat_schedule if name.startswith('mockvneid')]\n"
        "from django.test import RequestFactory\n"
        "from portal.accounts import vneid\n"
        "assert not apps.is_installed('portal.accounts.providers.mockvneid')\n"
        "try:\n    resolve('/vneid/authorize/')\nexcept Resolver404:\n    print('no provider page')\n"
        "print(vneid.is_enabled(), vneid.issuer(RequestFactory().get('/')), reverse('accounts:vneid_callback'))\n"
    )
    result = run_manage("shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == [
        "no provider page",
        "True https://vneid.example.gov.vn/oidc /accounts/vneid/callback/",
    ]
