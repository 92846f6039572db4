"""The demo world: for every demo agency, dossiers in every status, built through the services.

Each agency gets the same recipe (below), on the first of its procedures that fits each entry: an
online procedure for most, a level-4 procedure with a fee for the payment statuses, one that can
send its result by post for delivery. The overdue dossier is filed and received in the past (the
clock pinned there), then the overdue sweep flags it as it would. Everything is deterministic: the
same seeds, the same agencies, the same order, so the same codes on the same day.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

import portal.background as background
import portal.clock as clock
from dossiers import rules
from dossiers.constants import DossierStatus
from dossiers.models import Attachment, Dossier
from dossiers.services.attachments import THUMBNAIL_TYPES, attachment_make_thumbnail
from dossiers.services.overdue import dossiers_flag_overdue
from figures.history import history_generate, history_request
from figures.history.catalog import form_template
from figures.history.params import seeded
from figures.rollups import rebuild_rollups
from procedures.calendar import office_time_zone
from procedures.constants import DeliveryMethod, OnlineLevel
from procedures.models import Agency, Procedure
from trainer import steps
from trainer.background import run_pending_work
from trainer.cast import WORLD_APPLICANT_PHONES, Cast, applicants, cast_for, demo_agencies

S = DossierStatus
# What each demo agency holds: (label, the procedure kinds it may use in order of preference, the
# actions after submitting; None: left a draft). "paid" is a level-4 procedure with a fee; "postage" a
# level-4 one whose result goes by post, so the postage is paid online; an agency with neither has no
# dossier awaiting payment, and its refusal has nothing to refund.
RECIPE = (
    ("draft", ("online",), None),
    ("submitted", ("online",), []),
    ("submitted", ("online",), []),
    ("awaiting_payment", ("paid", "postage"), []),
    ("processing", ("online",), ["receive", "assign"]),
    ("supplement_requested", ("online",), ["receive", "request_supplement"]),
    ("awaiting_approval", ("online",), ["receive", "assign", "forward"]),
    ("result_ready", ("online",), ["receive", "assign", "forward", "approve"]),
    ("in_delivery", ("postal",), ["receive", "assign", "forward", "approve", "ship"]),
    ("completed", ("online",), ["receive", "assign", "forward", "approve", "hand_over", "rate"]),
    ("overdue", ("online",), ["receive", "assign"]),
    ("rejected", ("online",), ["reject"]),
    ("refused", ("paid", "postage", "online"), ["receive", "assign", "forward", "refuse"]),
    ("withdrawn", ("online",), ["withdraw"]),
)
BY_POST = frozenset({"postal", "postage"})


@dataclass
class WorldReport:
    agencies: int = 0
    dossiers: int = 0
    history: int = 0


def _fits(procedure: Procedure, kind: str) -> bool:
    if procedure.online_level < OnlineLevel.LEVEL_3:
        return False
    if form_template(procedure, rng=seeded(1, "form"), sample=applicants()[0]) is None:
        return False
    level4, by_post = procedure.online_level == OnlineLevel.LEVEL_4, DeliveryMethod.POSTAL in procedure.delivery_methods
    if kind == "paid":
        return level4 and (procedure.fee + procedure.charge) > 0
    if kind == "postage":
        return level4 and by_post
    if kind == "postal":
        return by_post
    return True


def procedures_for(agency: Agency) -> dict[str, Procedure]:
    """The agency's procedure for each kind of recipe entry (by code; a kind with none is left out)."""
    served = list(agency.procedures.filter(is_active=True).order_by("code"))
    chosen = {}
    for kind in ("online", "paid", "postage", "postal"):
        fitting = [p for p in served if _fits(p, kind)]
        # Prefer a procedure with no online fee for the plain entries, so they need no payment step.
        if kind != "paid":
            fitting.sort(key=lambda p: (p.online_level == OnlineLevel.LEVEL_4 and p.fee + p.charge > 0, p.code))
        if fitting:
            chosen[kind] = fitting[0]
    return chosen


def carry(story: steps.Story, dossier, cast: Cast, actions: list[str], *, pay: bool = True):
    """Submit (and pay when the fee is due online, unless `pay` is off), then take each action as its
    official would."""
    dossier = steps.submit(story, dossier)
    if dossier.status == S.AWAITING_PAYMENT and pay:
        steps.pay_online(story, dossier)
    return carry_on(story, dossier, cast, actions)


def carry_on(story: steps.Story, dossier, cast: Cast, actions: list[str]):
    """Each action as its official (or the applicant) would take it; a fee still owed is taken at the
    counter before the result is handed over."""
    for action in actions:
        if action == "rate":
            steps.rate(story, dossier)
        elif action == "withdraw":
            dossier = steps.applicant_act(story, dossier, "withdraw")
        elif action == "hand_over":
            if rules.fee_outstanding(dossier) > 0:
                dossier = steps.act(story, dossier, cast, "record_counter_payment")
            dossier = steps.act(story, dossier, cast, "hand_over")
        else:
            dossier = steps.act(story, dossier, cast, action)
    return dossier


def _overdue_start(procedure: Procedure):
    """A moment far enough back that a dossier received then is past its appointment today."""
    return clock.now() - timedelta(days=2 * procedure.processing_days + 10)


@transaction.atomic
def agency_world(agency: Agency, *, seed: int, story: steps.Story | None = None) -> int:
    """One agency's dossiers, in one transaction: a few hundred service calls, one commit (SQLite
    would otherwise wait for the disk after each of them)."""
    story = story or steps.Story()
    cast = cast_for(agency)
    people = applicants(WORLD_APPLICANT_PHONES)
    chosen = procedures_for(agency)
    made = 0
    for index, (label, kinds, actions) in enumerate(RECIPE):
        kind = next((kind for kind in kinds if kind in chosen), None)
        if kind is None:
            continue
        procedure = chosen[kind]
        applicant = people[index % len(people)]
        with transaction.atomic():  # an entry that fails leaves nothing half-built
            if label == "overdue":
                with clock.pinned(_overdue_start(procedure)):
                    dossier = steps.draft(
                        story, applicant=applicant, procedure=procedure, agency=agency, seed=seed + index
                    )
                    carry(story, dossier, cast, actions)
            else:
                dossier = steps.draft(
                    story,
                    applicant=applicant,
                    procedure=procedure,
                    agency=agency,
                    postal=kind in BY_POST,
                    seed=seed + index,
                )
                if actions is not None:
                    carry(story, dossier, cast, actions, pay=label != "awaiting_payment")
        made += 1
    dossiers_flag_overdue()
    run_pending_work()
    return made


def history_months(today) -> tuple[int, str]:
    """The year and months of generated history: this year up to last month (last year in January)."""
    if today.month == 1:
        return today.year - 1, "1-12"
    return today.year, f"1-{today.month - 1}"


def world_history(plan: list[dict], *, seed: int) -> int:
    year, months = history_months(clock.localdate())
    written = 0
    for n, entry in enumerate(plan):
        request = history_request(
            agency_code=entry["agency"],
            year=year,
            months=months,
            dossiers=entry["dossiers"],
            online=entry["online"],
            seed=seed + n,
        )
        written += history_generate(request).dossiers
    return written


def world_build(
    *, history: list[dict], seed: int = 2026, story: steps.Story | None = None, agencies: list[str] | None = None
) -> WorldReport:
    """Dossiers in every status for each demo agency (`agencies`: codes, to build only some), then the
    generated history.

    Thousands of moves: their follow-up work is done here as it goes (notices delivered, refunds
    answered) or once at the end (previews, rollups) rather than handed to the broker, where it would
    queue for minutes ahead of a new user's OTP.
    """
    report = WorldReport()
    chosen = [agency for agency in demo_agencies() if agencies is None or agency.code in agencies]
    with background.held():
        for agency in chosen:
            report.dossiers += agency_world(agency, seed=seed, story=story)
            report.agencies += 1
        world_previews()
        world_rollups(chosen)
    report.history = world_history(history, seed=seed)
    return report


def world_previews() -> None:
    pending = Attachment.objects.filter(thumbnail="", content_type__in=THUMBNAIL_TYPES).values_list("pk", flat=True)
    for attachment_id in list(pending):
        attachment_make_thumbnail(attachment_id=attachment_id)


def world_rollups(agencies: list[Agency]) -> int:
    first = Dossier.objects.filter(agency__in=agencies).aggregate(first=Min("created_at"))["first"]
    if first is None:
        return 0
    return rebuild_rollups(
        date_from=timezone.localdate(first, timezone=office_time_zone()),
        date_to=timezone.localdate(clock.now(), timezone=office_time_zone()),
        agency_ids=[agency.pk for agency in agencies],
    )
