import pytest

from dossiers import workflow
from dossiers.constants import Actor, DossierStatus
from dossiers.models import DossierEvent
from dossiers.services.review import ActionInput, dossier_act
from portal.errors import ConflictError, NotFoundError, PermissionDeniedError, ServiceError
from tests import factories
from tests.dossiers.builders import PATHS, make_dossier

pytestmark = pytest.mark.django_db


def test_every_status_is_reachable_and_every_target_is_a_status():
    targets = {t.target for t in workflow.TRANSITIONS}
    sources = set().union(*(t.sources for t in workflow.TRANSITIONS))
    assert targets | sources == set(DossierStatus.values)


@pytest.mark.parametrize("status", sorted(PATHS))
def test_builder_reaches_each_status_through_the_services(status):
    dossier = make_dossier(status)
    assert dossier.status == status
    expected_events = len(PATHS[status])
    assert DossierEvent.objects.filter(dossier=dossier).count() == expected_events


def test_receive_sets_received_and_due_dates_and_code_format():
    dossier = make_dossier("processing")
    assert dossier.received_at and dossier.due_at > dossier.received_at
    agency_code = dossier.agency.code
    assert dossier.code.startswith(f"{agency_code}-") and dossier.code.endswith("-0001")


def test_citizen_calling_an_official_action_is_forbidden():
    dossier = make_dossier("submitted")
    with pytest.raises(PermissionDeniedError):
        dossier_act(dossier_id=dossier.pk, user=dossier.applicant, action="receive")


def test_other_citizen_and_other_agency_official_get_not_found():
    dossier = make_dossier("submitted")
    outsider = factories.CitizenFactory()
    other_official = factories.make_official(role="receiver")
    for user in (outsider, other_official):
        with pytest.raises(NotFoundError):
            dossier_act(dossier_id=dossier.pk, user=user, action="receive")


def test_action_in_wrong_status_is_a_conflict():
    dossier = make_dossier("processing")
    with pytest.raises(ConflictError):
        dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="receive")


def test_reject_needs_a_reason_and_it_shows_on_the_public_timeline():
    dossier = make_dossier("submitted")
    with pytest.raises(ServiceError) as error:
        dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="reject")
    assert error.value.field == "reason"
    dossier_act(
        dossier_id=dossier.pk, user=dossier.staff.receiver, action="reject", data=ActionInput(reason="Sai thủ tục")
    )
    event = dossier.events.last()
    assert (event.to_status, event.public_note, event.actor_role) == ("rejected", "Sai thủ tục", Actor.RECEIVER)


def test_assign_only_to_a_processor_of_the_agency():
    dossier = make_dossier("processing")
    stranger = factories.make_official(role="processor")
    with pytest.raises(ServiceError) as error:
        dossier_act(
            dossier_id=dossier.pk,
            user=dossier.staff.receiver,
            action="assign",
            data=ActionInput(assignee_id=stranger.pk),
        )
    assert error.value.field == "assignee"


def test_events_are_immutable():
    dossier = make_dossier("submitted")
    event = dossier.events.first()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_status_is_written_only_by_the_workflow_module():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "dossiers"
    writers = [
        str(path)
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "workflow.py"
        and re.search(r"\.status\s*=[^=]", path.read_text())
    ]
    assert writers == []


def test_notes_go_public_or_internal_by_who_speaks():
    dossier = make_dossier("awaiting_approval")
    dossier_act(
        dossier_id=dossier.pk, user=dossier.staff.approver, action="return", data=ActionInput(reason="Thiếu ý kiến")
    )
    returned = dossier.events.last()
    assert (returned.public_note, returned.internal_note) == ("", "Thiếu ý kiến")
    dossier_act(dossier_id=dossier.pk, user=dossier.staff.processor, action="forward", data=ActionInput(note="Đã sửa"))
    forwarded = dossier.events.last()
    assert (forwarded.public_note, forwarded.internal_note) == ("", "Đã sửa")


def test_system_notes_reach_the_applicant():
    from dossiers.services.review import dossier_act_as_system

    dossier = make_dossier("draft")
    from dossiers.services.submission import dossier_submit

    procedure = dossier.procedure
    procedure.online_level, procedure.fee = 4, 10_000
    procedure.save(update_fields=["online_level", "fee"])
    dossier_submit(dossier_id=dossier.pk, user=dossier.applicant)
    dossier_act_as_system(dossier_id=dossier.pk, action="expire_payment", note="Quá hạn thanh toán")
    event = dossier.events.last()
    assert (event.to_status, event.public_note) == ("withdrawn", "Quá hạn thanh toán")


def test_officials_cannot_act_on_a_citizens_unsent_draft():
    dossier = make_dossier("draft")
    receiver = dossier.staff.receiver
    for action in ("register_at_counter", "receive"):
        with pytest.raises(NotFoundError):
            dossier_act(dossier_id=dossier.pk, user=receiver, action=action)
    dossier.refresh_from_db()
    assert dossier.status == "draft" and dossier.code is None
    assert "register_at_counter" not in workflow.OFFICIAL_ACTIONS
