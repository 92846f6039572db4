"""The extension point other apps use to react to dossier moves (payments' refunds go through it)."""

import pytest

from dossiers import rules, status_receivers
from dossiers.services.review import ActionInput, dossier_act
from payments.services.refunds import refunds_start_for_dossier
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def listener(*, dossier, event):
        calls.append((dossier.status, event.action, event.pk is not None))

    status_receivers.on_entering({"processing"}, listener)
    yield calls
    status_receivers.disconnect(listener)


def test_a_receiver_hears_the_statuses_it_registered_for(heard):
    dossier = make_dossier("submitted")
    dossier_act(dossier_id=dossier.pk, user=dossier.staff.receiver, action="receive")
    dossier_act(
        dossier_id=dossier.pk, user=dossier.staff.receiver, action="request_supplement", data=ActionInput(reason="x")
    )
    assert heard == [("processing", "receive", True)]


def test_self_transitions_enter_nothing(heard):
    dossier = make_dossier("processing")
    heard.clear()
    dossier_act(
        dossier_id=dossier.pk,
        user=dossier.staff.receiver,
        action="assign",
        data=ActionInput(assignee_id=dossier.staff.processor.pk),
    )
    assert heard == []


def test_a_failing_receiver_rolls_the_move_back():
    def broken(*, dossier, event):
        raise RuntimeError("downstream failed")

    status_receivers.on_entering({"rejected"}, broken)
    try:
        dossier = make_dossier("submitted")
        with pytest.raises(RuntimeError):
            dossier_act(
                dossier_id=dossier.pk, user=dossier.staff.receiver, action="reject", data=ActionInput(reason="Sai")
            )
    finally:
        status_receivers.disconnect(broken)
    dossier.refresh_from_db()
    assert dossier.status == "submitted" and dossier.completed_at is None
    assert not dossier.events.filter(action="reject").exists()


def test_registering_twice_keeps_one_entry_and_empty_sets_are_refused():
    before = len(status_receivers.registrations())
    status_receivers.on_entering({"completed"}, refunds_start_for_dossier)  # already registered by payments
    status_receivers.on_entering(rules.CLOSED_WITHOUT_RESULT, refunds_start_for_dossier)
    assert len(status_receivers.registrations()) == before
    with pytest.raises(ValueError):
        status_receivers.on_entering(set(), refunds_start_for_dossier)


def test_payments_registers_refunds_for_every_status_closed_without_a_result():
    (registration,) = [r for r in status_receivers.registrations() if r.receiver is refunds_start_for_dossier]
    assert registration.statuses == rules.CLOSED_WITHOUT_RESULT == {"rejected", "refused", "withdrawn"}
