"""Every row of the transition table, taken from every source it allows, checked against the row itself:
the status it reaches, the event it writes, where its note goes, whether the applicant is told, its
own effect on the dossier's fields and the status hooks (closing time, appointment clock)."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from dossiers import effects, rules, supplements, workflow
from dossiers.constants import Actor, DossierStatus, NoticeLevel
from dossiers.effects import ActionInput
from dossiers.models import Dossier
from dossiers.overdue import apply_apology
from dossiers.services.counter import dossier_register_at_counter
from dossiers.services.review import dossier_act, dossier_act_as_system
from dossiers.services.submission import dossier_submit
from portal.notifications.models import OutboundMessage
from procedures.calendar import add_working_days
from procedures.constants import OnlineLevel
from tests import factories
from tests.dossiers.builders import PDF_BYTES, Staff, make_dossier

pytestmark = pytest.mark.django_db
S = DossierStatus

REASON = "Lý do ghi trong bảng"
NOTE = "Ghi chú kèm thao tác"
FEE = 40_000


def _cases():
    for index, row in enumerate(workflow.TRANSITIONS):
        for source in sorted(row.sources):
            yield pytest.param(index, source, id=f"{row.action}:{source}->{row.target}")


def _procedure_for(row, source):
    """A procedure under which the row's guard holds from this source."""
    agency = factories.AgencyFactory()
    level4_fee = row.guard is rules.online_fee_due or source == S.AWAITING_PAYMENT
    if level4_fee:
        return factories.ProcedureFactory(agencies=[agency], online_level=OnlineLevel.LEVEL_4, fee=FEE)
    if row.effect is effects.record_payment:  # something left to pay at the counter
        return factories.ProcedureFactory(agencies=[agency], online_level=OnlineLevel.LEVEL_3, fee=FEE)
    return factories.ProcedureFactory(agencies=[agency])


def _dossier_in(row, source) -> Dossier:
    procedure = _procedure_for(row, source)
    postal = row.guard is rules.ships_by_post or source == S.IN_DELIVERY
    delivery = "postal" if postal else "counter"
    if source == S.AWAITING_PAYMENT:
        dossier = make_dossier("submitted", procedure=procedure, delivery_method=delivery)
        assert dossier.status == S.AWAITING_PAYMENT
    elif source == S.SUPPLEMENT_REQUESTED and row.guard is rules.not_received:
        dossier = make_dossier("submitted", procedure=procedure, delivery_method=delivery)
        _act(dossier, "request_supplement")
    elif source == S.IN_DELIVERY:
        dossier = make_dossier("result_ready", procedure=procedure, delivery_method=delivery)
        _act(dossier, "ship")
    else:
        dossier = make_dossier(source, procedure=procedure, delivery_method=delivery)
    if row.effect is apply_apology:  # the slip is for a missed appointment
        Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - timedelta(hours=1))
    staff = dossier.staff
    dossier = Dossier.objects.select_related("procedure", "agency", "applicant").get(pk=dossier.pk)
    dossier.staff = staff
    assert dossier.status == source
    return dossier


def _act(dossier, action):
    dossier_act(
        dossier_id=dossier.pk, user=dossier.staff.who(action), action=action, data=dossier.staff.inputs_for(action)
    )


def _inputs(row, dossier) -> ActionInput:
    return ActionInput(
        note=NOTE,
        reason=REASON if "reason" in row.requires else "",
        assignee_id=dossier.staff.processor.pk if "assignee" in row.requires else None,
        amount=rules.fee_outstanding(dossier) if "amount" in row.requires else None,
        result_file=ContentFile(PDF_BYTES, name="ket-qua.pdf") if "file" in row.requires else None,
        new_due_at=add_working_days(timezone.now(), 5) if "new_due_at" in row.requires else None,
        papers=("to-khai",) if "papers" in row.requires else (),
        other_papers=("Bản sao giấy khai sinh",) if "papers" in row.requires else (),
    )


def _take(row, dossier, data: ActionInput) -> tuple[Dossier, str]:
    """Take the row's action as one of the actors it names, through the service that offers it;
    returns the dossier and the note the service passed on."""
    if row.service_only:
        official = factories.make_official(role=Actor.RECEIVER, agency=dossier.agency)
        applicant = factories.CitizenFactory.build()
        taken = dossier_register_at_counter(
            official=official,
            procedure_code=dossier.procedure.code,
            agency_code=dossier.agency.code,
            channel="counter",
            applicant_full_name="Nguyễn Văn Quầy",
            applicant_national_id=applicant.national_id,
            applicant_phone=applicant.phone,
            form_data={"ly_do": "Nộp tại quầy"},
            on_behalf_note=data.note,
        )
        return taken, data.note
    if Actor.SYSTEM in row.actors:
        taken = dossier_act_as_system(dossier_id=dossier.pk, action=row.action, note=data.note, amount=data.amount)
        return taken, data.note
    if Actor.APPLICANT in row.actors:
        user = dossier.applicant
    else:
        role = next(r for r in (Actor.RECEIVER, Actor.PROCESSOR, Actor.APPROVER, Actor.LEADER) if r in row.actors)
        user = getattr(dossier.staff, role) if role != Actor.LEADER else factories.make_official(role=role)
    if row.action == "submit":  # the submission service takes no note
        return dossier_submit(dossier_id=dossier.pk, user=user), ""
    return dossier_act(dossier_id=dossier.pk, user=user, action=row.action, data=data), data.note


def _expect_row_effect(row, before: Dossier, after: Dossier, data: ActionInput):
    if row.effect is None:
        return
    if row.effect is effects.assign_processor:
        assert after.assignee_id == data.assignee_id
    elif row.effect is effects.store_result:
        assert after.result_file and not before.result_file
    elif row.effect is effects.record_payment:
        assert after.amount_paid == before.amount_paid + data.amount
        assert rules.fee_settled(after)
    elif row.effect is apply_apology:
        assert after.due_at == data.new_due_at and after.due_at > before.due_at
    elif row.effect is supplements.name_papers:
        papers = supplements.requested_papers(after)
        assert [(p["name"], p["other"]) for p in papers] == [("Tờ khai", False), ("Bản sao giấy khai sinh", True)]
    elif row.effect is supplements.check_papers_sent:
        assert not supplements.requested_papers(after)  # answered: no request is open any more
    else:  # a new effect in the table needs its expectation here
        pytest.fail(f"no expectation for {row.effect.__name__}")


def _expect_hooks(row, source, before: Dossier, after: Dossier, event):
    entered = source != row.target
    if entered and row.target in rules.FINAL_STATUSES:
        assert after.completed_at is not None and after.completed_at == event.created_at
    else:
        assert after.completed_at == before.completed_at
    if entered and row.target == S.PROCESSING and source in (S.SUBMITTED, S.DRAFT):
        assert after.received_at == event.created_at and after.due_at > after.received_at
    if entered and row.target == S.SUPPLEMENT_REQUESTED:
        assert (after.clock_paused_at is not None) == (before.received_at is not None)
    if entered and source == S.SUPPLEMENT_REQUESTED and row.target in rules.OPEN_STATUSES:
        assert after.clock_paused_at is None  # the applicant answered: the clock runs again
    if not entered:
        assert (after.received_at, after.clock_paused_at) == (before.received_at, before.clock_paused_at)


@pytest.mark.parametrize(("index", "source"), list(_cases()))
def test_each_row_does_what_the_table_says(index, source):
    row = workflow.TRANSITIONS[index]
    before = _dossier_in(row, source)
    data = _inputs(row, before)
    messages_before = OutboundMessage.objects.filter(user=before.applicant).count()
    sms_before = OutboundMessage.objects.filter(user=before.applicant, channel="sms").count()
    last_event_id = before.events.order_by("-id").values_list("id", flat=True).first() or 0

    taken, note = _take(row, before, data)

    after = Dossier.objects.get(pk=taken.pk)
    assert after.status == row.target
    event = after.events.filter(id__gt=last_event_id).exclude(action="attach").get()
    assert (event.action, event.from_status, event.to_status) == (row.action, source, row.target)
    assert event.actor_role in row.actors
    # Where the words go: a required reason as the row says, else by who speaks.
    if "reason" in row.requires:
        expected = (REASON, "") if row.reason_is_public else ("", REASON)
    elif event.actor_role in (Actor.APPLICANT, Actor.SYSTEM):
        expected = (note, "")
    else:
        expected = ("", note)
    assert (event.public_note, event.internal_note) == expected
    told = OutboundMessage.objects.filter(user=after.applicant).count() - (0 if row.service_only else messages_before)
    assert (told > 0) == (row.notice != NoticeLevel.TIMELINE)
    texted = OutboundMessage.objects.filter(user=after.applicant, channel="sms").count() - (
        0 if row.service_only else sms_before
    )
    assert texted == (1 if row.notice == NoticeLevel.ALERT else 0)
    if row.service_only:
        return  # a new dossier: its "before" is the draft the service made itself
    _expect_row_effect(row, before, after, data)
    _expect_hooks(row, source, before, after, event)


@pytest.mark.parametrize("final", sorted(rules.FINAL_STATUSES))
def test_every_final_status_is_entered_by_some_row(final):
    assert any(t.target == final for t in workflow.TRANSITIONS)


def test_payment_expiry_closes_the_dossier_with_its_closing_time():
    level4 = factories.ProcedureFactory(agencies=[factories.AgencyFactory()], online_level=OnlineLevel.LEVEL_4, fee=FEE)
    dossier = make_dossier("submitted", procedure=level4)
    assert dossier.status == S.AWAITING_PAYMENT and dossier.completed_at is None
    dossier_act_as_system(dossier_id=dossier.pk, action="expire_payment", note="Hết hạn")
    dossier.refresh_from_db()
    assert dossier.status == S.WITHDRAWN and dossier.completed_at is not None


def test_rows_name_only_inputs_the_forms_and_api_know():
    known = {"reason", "assignee", "file", "amount", "new_due_at", "papers"}
    for row in workflow.TRANSITIONS:
        assert set(row.requires) <= known, row.action


def test_staff_builder_reads_the_table():
    staff = Staff(factories.AgencyFactory())
    for row in workflow.TRANSITIONS:
        if row.actors & {Actor.RECEIVER, Actor.PROCESSOR, Actor.APPROVER}:
            official = staff.who(row.action)
            assert official.staff_roles.filter(role__in=sorted(row.actors)).exists()
