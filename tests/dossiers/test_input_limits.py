"""Free text and dates stay within bounds whichever way they arrive: the services check them, so the
pages, the API and other services all meet the same limits."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dossiers.models import DossierEvent, Rating
from dossiers.overdue import APOLOGY_MAX_AHEAD, ERR_NEW_DUE_TOO_FAR
from dossiers.services.drafts import ADDRESS_PART_MAX_LENGTH, dossier_create_draft
from dossiers.services.overdue import dossier_issue_apology
from dossiers.services.rating import dossier_rate
from dossiers.services.review import ActionInput, dossier_act
from portal.errors import FREE_TEXT_MAX_LENGTH, ServiceError, ValidationFailed, too_long_message
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TOO_LONG = "x" * (FREE_TEXT_MAX_LENGTH + 1)


@pytest.mark.parametrize(("field", "action"), [("note", "receive"), ("reason", "reject")])
def test_a_note_or_reason_past_the_limit_is_refused_and_nothing_moves(field, action):
    dossier = make_dossier("submitted")
    events_before = DossierEvent.objects.filter(dossier=dossier).count()

    with pytest.raises(ServiceError) as info:
        dossier_act(
            dossier_id=dossier.pk, user=dossier.staff.receiver, action=action, data=ActionInput(**{field: TOO_LONG})
        )

    assert (info.value.field, info.value.code) == (field, "max_length")
    assert info.value.message == too_long_message(FREE_TEXT_MAX_LENGTH)
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    assert DossierEvent.objects.filter(dossier=dossier).count() == events_before


def test_a_note_at_the_limit_is_kept_whole():
    dossier = make_dossier("submitted")
    note = "x" * FREE_TEXT_MAX_LENGTH

    dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="receive", data=ActionInput(note=note))

    assert DossierEvent.objects.get(dossier=dossier, action="receive").internal_note == note


def test_a_rating_comment_past_the_limit_is_refused():
    dossier = make_dossier("completed")

    with pytest.raises(ServiceError) as info:
        dossier_rate(dossier_id=dossier.pk, user=dossier.applicant, score=5, comment=TOO_LONG)

    assert info.value.field == "comment"
    assert not Rating.objects.exists()


def test_every_postal_address_part_is_bounded():
    dossier = make_dossier("draft")
    long_part = "x" * (ADDRESS_PART_MAX_LENGTH + 1)
    address = {"province": "Hải Phòng", "commune": long_part, "street": "1 Quang Trung", "recipient_name": long_part}

    with pytest.raises(ValidationFailed) as info:
        dossier_create_draft(
            applicant=dossier.applicant,
            procedure_code=dossier.procedure.code,
            agency_code=dossier.agency.code,
            form_data={"ly_do": "x"},
            delivery_method="postal",
            delivery_address=address,
        )

    message = [too_long_message(ADDRESS_PART_MAX_LENGTH)]
    assert info.value.errors == {"delivery_address": {"commune": message, "recipient_name": message}}


@pytest.fixture
def late_dossier():
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=HCM), tick=False):
        dossier = make_dossier("processing")
    return dossier


def test_an_apology_may_move_the_appointment_up_to_a_year_ahead_not_further(late_dossier):
    now = late_dossier.due_at + timedelta(days=1)  # Friday 20/11/2026
    within = date(2027, 11, 19)  # a Friday, 364 days on
    beyond = (now + APOLOGY_MAX_AHEAD + timedelta(days=3)).date()
    receiver = late_dossier.staff.receiver

    with time_machine.travel(now, tick=False):
        with pytest.raises(ServiceError) as info:
            dossier_issue_apology(dossier_id=late_dossier.pk, user=receiver, new_due_at=beyond, reason="Chờ xác minh")
        assert (info.value.field, info.value.message) == ("new_due_at", ERR_NEW_DUE_TOO_FAR)

        dossier_issue_apology(dossier_id=late_dossier.pk, user=receiver, new_due_at=within, reason="Chờ xác minh")

    late_dossier.refresh_from_db()
    assert late_dossier.due_at.astimezone(HCM).date() == within
