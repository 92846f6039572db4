"""Submitting a dossier: mandatory papers, the fee owed, the dossier code, the first status."""

from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

import portal.clock as clock
from dossiers import workflow
from dossiers.charges import dossier_fee_breakdown
from dossiers.constants import Actor
from dossiers.models import Dossier, DossierCodeCounter
from dossiers.services.drafts import clean_form_data, dossier_for_applicant
from portal.errors import ValidationFailed
from procedures.fees import fee_breakdown
from procedures.models import Agency, Procedure

ERR_MISSING_DOCUMENTS = gettext_noop("Thiếu giấy tờ bắt buộc: {names}.")


def dossier_code_take(*, agency: Agency, day: date) -> str:
    """The next code `<agency>-<yymmdd>-<NNNN>`; gapless because the counter row is locked until commit.

    Must run inside the submitting transaction: if the submission rolls back, so does the number.
    """
    # One statement: the day's row is created or moved on, and locked until commit (a concurrent
    # submission at the same agency waits here, then continues from our number).
    table = connection.ops.quote_name(DossierCodeCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last_value) VALUES (%s, %s, 1) "  # noqa: S608 (our names)
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last_value = {table}.last_value + 1 RETURNING last_value",
            [agency.pk, connection.ops.adapt_datefield_value(day)],
        )
        value = cursor.fetchone()[0]
    return f"{agency.code}-{day:%y%m%d}-{value:04d}"


def fee_owed(*, procedure: Procedure, channel: str) -> int:
    """Whole VND: fee and charge, less the best discount that applies today (payments' fee policies)."""
    return fee_breakdown(procedure=procedure, channel=channel).total


def missing_mandatory_documents(dossier: Dossier) -> list[str]:
    attached = set(dossier.attachments.filter(superseded_at__isnull=True).values_list("document_id", flat=True))
    return [doc.name for doc in dossier.procedure.required_documents.all() if doc.mandatory and doc.pk not in attached]


def check_complete(dossier: Dossier) -> None:
    clean_form_data(procedure=dossier.procedure, form_data=dossier.form_data, partial=False)
    missing = missing_mandatory_documents(dossier)
    if missing:
        raise ValidationFailed({"attachments": [_(ERR_MISSING_DOCUMENTS).format(names="; ".join(missing))]})


def assign_code_and_fee(dossier: Dossier, *, now) -> None:
    dossier.code = dossier_code_take(agency=dossier.agency, day=timezone.localtime(now).date())
    dossier.submitted_at = now
    dossier.amount_due = dossier_fee_breakdown(dossier).total
    dossier.save(update_fields=["code", "submitted_at", "amount_due", "updated_at"])


@transaction.atomic
def dossier_submit(*, dossier_id: int, user) -> Dossier:
    dossier = dossier_for_applicant(dossier_id=dossier_id, user=user, lock=True)
    # Status first: submitting twice is a 409, not a second code.
    workflow.find_transition(dossier, "submit", frozenset({Actor.APPLICANT}))
    check_complete(dossier)
    now = clock.now()
    assign_code_and_fee(dossier, now=now)
    workflow.transition(dossier, action="submit", actor=user, actor_roles=frozenset({Actor.APPLICANT}))
    return dossier
