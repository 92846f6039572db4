"""Acceptance 1: every seeded procedure can be worked by demo staff; the demo world fills every status."""

from datetime import date

import pytest
from django.db.models import Sum

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.selectors import agency_queue_counts
from figures.history.people import Person
from figures.models import DailyRollup
from portal.accounts.constants import Role
from portal.accounts.models import StaffRole, User
from portal.notifications.models import OutboundMessage
from portal.seeding import SEEDS_DIR, read_seed_file
from procedures.models import Agency, Procedure
from trainer import steps
from trainer.cast import COUNTER_ROLES, cast_for, demo_agencies
from trainer.world import (
    RECIPE,
    agency_world,
    carry,
    carry_on,
    history_months,
    procedures_for,
    world_build,
    world_history,
)

pytestmark = pytest.mark.django_db


def test_every_seeded_procedure_has_an_agency_whose_demo_staff_receive_process_and_approve(demo_people):
    covered = {agency.code for agency in demo_agencies()}
    for record in read_seed_file(SEEDS_DIR / "procedures.json")["procedures"]:
        assert covered & set(record["agencies"]), f"{record['code']} has no agency with demo counter staff"
    for agency in demo_agencies():
        roles = set(StaffRole.objects.filter(agency=agency).values_list("role", flat=True))
        assert roles >= set(COUNTER_ROLES), agency.code


def test_every_demo_agency_has_a_procedure_for_the_plain_recipe_entries(demo_people):
    for agency in demo_agencies():
        assert "online" in procedures_for(agency), agency.code


def test_an_agency_world_holds_every_status_and_fills_the_receivers_queue(demo_people):
    justice = Agency.objects.get(code="000.00.01.H26")  # level 4 with a fee: the payment statuses too
    commune = Agency.objects.get(code="000.01.15.H26")
    for agency in (justice, commune):
        agency_world(agency, seed=7)
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert statuses == set(DossierStatus.values)
    assert Dossier.objects.filter(overdue_flagged_at__isnull=False, agency=commune).exists()
    # Its SMS and e-mail are already sent: the worker is not left a backlog that delays a new OTP.
    assert OutboundMessage.objects.exists() and not OutboundMessage.objects.filter(status="queued").exists()
    assert Dossier.objects.filter(agency=justice, status=DossierStatus.REFUSED, payments__status="refunded").exists()
    for agency in (justice, commune):
        counts = agency_queue_counts(agency_ids=[agency.pk])
        assert counts["new"] >= 2 and sum(n for tab, n in counts.items() if tab != "overdue") >= 8, counts
    assert agency_queue_counts(agency_ids=[commune.pk])["overdue"] == 1
    entries = {label for label, _kinds, _actions in RECIPE}
    assert entries - {"overdue"} <= set(DossierStatus.values)
    assert StaffRole.objects.filter(role=Role.RECEIVER, agency=commune).exists()


def test_history_covers_this_year_up_to_last_month_or_last_year_in_january():
    assert history_months(date(2026, 12, 1)) == (2026, "1-11")
    assert history_months(date(2027, 1, 15)) == (2026, "1-12")


def test_the_generated_history_gives_the_leaders_dashboard_figures(demo_people, client):
    written = world_history([{"agency": "000.01.15.H26", "dossiers": 40, "online": 20}], seed=3)
    assert written >= 40  # and a few online dossiers never received (rejected, withdrawn, unpaid)
    assert DailyRollup.objects.filter(agency__code="000.01.15.H26").aggregate(n=Sum("received"))["n"] == 40
    client.force_login(User.objects.get(phone="0915000001"))  # the province's leader
    page = client.get("/figures/")
    assert page.status_code == 200
    assert "40" in page.content.decode()


def test_after_the_demo_load_every_demo_agencys_receiver_has_dossiers_and_every_status_exists(demo_people):
    """The whole demo world as `make run` loads it (the generated history aside, tested above)."""
    report = world_build(history=[])
    agencies = demo_agencies()
    assert report.agencies == len(agencies) >= 22
    for agency in agencies:
        counts = agency_queue_counts(agency_ids=[agency.pk])
        assert counts["new"] >= 1 and counts["overdue"] >= 1, (agency.code, counts)
        held = set(Dossier.objects.filter(agency=agency).values_list("status", flat=True))
        # Paying online needs a level-4 procedure: an agency with none has no dossier awaiting payment.
        level4 = agency.procedures.filter(online_level=4).exists()
        assert held == set(DossierStatus.values) - (set() if level4 else {DossierStatus.AWAITING_PAYMENT}), agency.code
    assert set(Dossier.objects.values_list("status", flat=True)) == set(DossierStatus.values)


def test_every_seeded_procedure_can_be_carried_end_to_end_by_demo_staff(demo_people):
    covered = {agency.code: agency for agency in demo_agencies()}
    citizen = User.objects.get(phone="0912000001")
    for number, record in enumerate(read_seed_file(SEEDS_DIR / "procedures.json")["procedures"]):
        procedure = Procedure.objects.get(code=record["code"])
        cast = cast_for(next(covered[code] for code in record["agencies"] if code in covered))
        story = steps.Story()
        if procedure.online_level >= 3:
            dossier = steps.draft(story, applicant=citizen, procedure=procedure, agency=cast.agency, seed=number)
            dossier = carry(story, dossier, cast, ["receive"])
        else:
            elder = Person(full_name="Lê Thị Hoa", national_id=f"030150{number:06d}", phone=f"0388{number:06d}")
            dossier = steps.counter_intake(story, cast=cast, procedure=procedure, person=elder, note="", seed=number)
        dossier = carry_on(story, dossier, cast, ["assign", "forward", "approve", "hand_over"])
        assert dossier.status == DossierStatus.COMPLETED, (record["code"], [s.title for s in story.steps])


def test_the_world_leaves_the_broker_nothing_and_its_rollups_counted(demo_people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as handed_over:
        world_build(history=[], agencies=["000.01.15.H26"])
    # Nothing for the broker: what is left to do on commit is forgetting the cached figures (figures/cache.py).
    assert {callback.__module__ for callback in handed_over} <= {"figures.cache"}
    received = Dossier.objects.filter(agency__code="000.01.15.H26", received_at__isnull=False).count()
    assert DailyRollup.objects.filter(agency__code="000.01.15.H26").aggregate(n=Sum("received"))["n"] == received
