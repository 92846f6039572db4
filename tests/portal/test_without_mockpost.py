"""The portal runs without its post office simulator when another courier is configured.

The checks run in a fresh process, since INSTALLED_APPS cannot change inside this one.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from postal.checks import check_courier_provider
from postal.models import Shipment
from tests.postal.helpers import commune_of_hai_duong, procedure_at, shipped

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.settings_without_mockpost"


def run_manage(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_manage_check_passes_without_the_simulator():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_the_simulator_its_pages_and_periodic_jobs_are_gone():
    script = (
        "from django.apps import apps; from django.urls import resolve, Resolver404; from portal.celery import app\n"
        "assert not apps.is_installed('postal.providers.mockpost')\n"
        "try:\n    resolve('/postal/handheld/')\nexcept Resolver404:\n    print('no handheld page')\n"
        "print(sorted(name for name in app.conf.beat_schedule if name.startswith('mockpost')))\n"
    )
    result = run_manage("shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["no handheld page", "[]"]


@pytest.mark.parametrize(
    ("path", "error"), [("postal.providers.nowhere.Courier", "postal.E001"), ("postal.models.Shipment", "postal.E002")]
)
def test_a_courier_that_does_not_load_fails_the_checks(settings, path, error):
    settings.COURIER_PROVIDER = path
    assert [e.id for e in check_courier_provider()] == [error]


@pytest.mark.django_db
def test_shipping_books_with_whichever_courier_is_configured(settings):
    settings.COURIER_PROVIDER = "tests.postal.fake_provider.FakeCourier"
    shipment = shipped(procedure_at(commune_of_hai_duong()))
    assert shipment.provider == "fake" and shipment.tracking_number.startswith("FK")
    assert Shipment.objects.get().status == "created"
