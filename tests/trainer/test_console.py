"""Acceptance 4 (the console's 403/404 rules; reset twice gives the same state), the scenarios, the clock
and signing in as a demo person."""

from datetime import timedelta

import pytest
from django.test import Client

import portal.clock as clock
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from portal.accounts.models import User
from portal.seeding import load_seeds
from trainer.reset import demo_reset
from trainer.scenarios import SCENARIOS

pytestmark = pytest.mark.django_db
TRAINER_PHONE, CITIZEN_PHONE, RECEIVER_PHONE, LEADER_PHONE = "0916000001", "0912000001", "0914000001", "0915000001"


def client_for(phone):
    client = Client()
    client.force_login(User.objects.get(phone=phone))
    return client


@pytest.fixture
def trainer_client(demo_people):
    return client_for(TRAINER_PHONE)


def test_the_console_answers_404_when_demo_mode_is_off(demo_people, settings):
    settings.DEMO_MODE = False
    assert client_for(TRAINER_PHONE).get("/trainer/").status_code == 404
    assert Client().get("/trainer/").status_code == 404


@pytest.mark.parametrize("phone", [None, CITIZEN_PHONE, RECEIVER_PHONE, LEADER_PHONE])
def test_the_console_answers_403_to_anyone_but_a_trainer(demo_people, phone):
    client = client_for(phone) if phone else Client()
    assert client.get("/trainer/").status_code == 403
    assert client.post("/trainer/reset/").status_code == 403
    assert client.post("/trainer/clock/", {"amount": 1, "unit": "hours"}).status_code == 403


def test_the_trainer_sees_the_console_with_every_scenario_and_demo_person(trainer_client):
    page = trainer_client.get("/trainer/").content.decode()
    for scenario in SCENARIOS:
        assert f'data-scenario="{scenario.key}"' in page
    assert "Nguyễn Văn An" in page and "0914000001" in page
    assert "Quản trị hệ thống" not in page  # no signing in as the administrator


def test_every_scenario_starts_with_one_click_and_says_what_comes_next(trainer_client):
    for scenario in SCENARIOS:
        response = trainer_client.post(f"/trainer/scenarios/{scenario.key}/", follow=True)
        assert response.status_code == 200
        assert str(scenario.next_step) in response.content.decode()
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {DossierStatus.SUBMITTED, DossierStatus.AWAITING_PAYMENT, DossierStatus.IN_DELIVERY} <= statuses
    assert trainer_client.post("/trainer/scenarios/nope/").status_code == 404


def test_moving_the_clock_flags_the_overdue_scenario_and_withdraws_the_unpaid_one(trainer_client):
    trainer_client.post("/trainer/scenarios/overdue/")
    trainer_client.post("/trainer/scenarios/criminal_record/")
    late = Dossier.objects.get(status=DossierStatus.PROCESSING)
    unpaid = Dossier.objects.get(status=DossierStatus.AWAITING_PAYMENT)
    response = trainer_client.post("/trainer/clock/", {"amount": 3, "unit": "working_days"}, follow=True)
    assert "data-demo-clock" in response.content.decode()  # the banner while the clock is not real time
    late.refresh_from_db()
    unpaid.refresh_from_db()
    assert late.overdue_flagged_at is not None
    assert unpaid.status == DossierStatus.WITHDRAWN
    assert not clock.is_real_time()


def test_a_bad_clock_move_is_refused_without_moving(trainer_client):
    response = trainer_client.post("/trainer/clock/", {"amount": 99, "unit": "working_days"}, follow=True)
    assert response.status_code == 200
    assert clock.is_real_time()


def test_sign_in_as_a_demo_person_and_back(trainer_client):
    citizen = User.objects.get(phone=CITIZEN_PHONE)
    response = trainer_client.post(f"/trainer/sign-in-as/{citizen.pk}/", follow=True)
    assert response.context["user"] == citizen
    assert "/trainer/sign-back/" in response.content.decode()
    assert trainer_client.get("/trainer/").status_code == 403  # now a citizen
    response = trainer_client.post("/trainer/sign-back/", follow=True)
    assert response.context["user"].phone == TRAINER_PHONE
    assert trainer_client.post("/trainer/sign-back/").status_code == 404  # nothing to go back to


def test_going_back_is_refused_once_demo_mode_is_off(trainer_client, settings):
    citizen = User.objects.get(phone=CITIZEN_PHONE)
    trainer_client.post(f"/trainer/sign-in-as/{citizen.pk}/")
    settings.DEMO_MODE = False
    assert trainer_client.post("/trainer/sign-back/").status_code == 404


def test_no_signing_in_as_the_administrator(trainer_client):
    admin = User.objects.get(phone="0916000002")
    assert trainer_client.post(f"/trainer/sign-in-as/{admin.pk}/").status_code == 404


def _state():
    rows = Dossier.objects.values_list(
        "code", "status", "agency__code", "procedure__code", "applicant__phone", "amount_paid", "overdue_flagged_at"
    )
    return sorted(((*row[:-1], row[-1] is not None) for row in rows), key=str)


def test_reset_twice_gives_the_same_state(demo_settings, db, small_seeds, monkeypatch):
    monkeypatch.setattr("trainer.reset.SEEDS_DIR", small_seeds)
    monkeypatch.setattr("portal.seeding.SEEDS_DIR", small_seeds)
    monkeypatch.setattr("trainer.reset.load_seeds", _loader(small_seeds))
    demo_reset()
    first = _state()
    clock.advance(timedelta(hours=5))
    demo_reset()
    assert clock.is_real_time()
    assert _state() == first
    assert {status for _code, status, *_rest in first} >= {DossierStatus.SUBMITTED, DossierStatus.REFUSED}


def _loader(seeds_dir):
    return lambda **kwargs: load_seeds(seeds_dir=seeds_dir, **kwargs)


def test_the_console_speaks_english_when_switched(trainer_client):
    trainer_client.cookies["django_language"] = "en"
    page = trainer_client.get("/trainer/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Demo console" in page and "Start the scenario" in page and "Move the clock" in page
    assert "Overdue: apology slip and a new date" in page


def test_the_console_draws_the_workflow_and_a_chosen_dossiers_path(trainer_client):
    blank = trainer_client.get("/trainer/").content.decode()
    assert "<svg" in blank and 'id="so-do-quy-trinh"' in blank
    trainer_client.post(f"/trainer/scenarios/{SCENARIOS[0].key}/")
    dossier = Dossier.objects.order_by("-pk").first()

    page = trainer_client.get("/trainer/", {"dossier": dossier.code.lower()}).content.decode()
    assert f'href="/office/dossiers/{dossier.pk}/"' in page
    assert blank.count("is-taken") == 0 < page.count("is-taken")  # its moves drawn as taken
    assert dossier.get_status_display() in page
    missing = trainer_client.get("/trainer/", {"dossier": "KHONG-CO"}).content.decode()
    assert 'id="diagram-error"' in missing
