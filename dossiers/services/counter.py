"""Counter intake: a paper dossier brought in person or sent by post, received as it is registered."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

import portal.clock as clock
from dossiers import workflow
from dossiers.constants import Actor, IntakeChannel
from dossiers.effects import ActionInput
from dossiers.models import Dossier
from dossiers.services.drafts import dossier_create_draft
from dossiers.services.submission import assign_code_and_fee
from portal.accounts.constants import AccountKind, Role
from portal.accounts.models import StaffRole, User
from portal.accounts.services.common import clean_field
from portal.accounts.validators import normalize_national_id, normalize_phone
from portal.errors import PermissionDeniedError, ServiceError

ERR_NOT_RECEIVER = gettext_noop("Chỉ cán bộ tiếp nhận của cơ quan mới nhập được hồ sơ giấy.")
ERR_PHONE_TAKEN = gettext_noop("Số điện thoại này thuộc tài khoản của người khác.")


def applicant_for_counter(*, full_name: str, national_id: str, phone: str) -> User:
    """The citizen's account if they have one; otherwise an account without a password that
    they can take over later by registering with the same national ID."""
    national_id = clean_field(normalize_national_id, national_id, field="applicant_national_id")
    phone = clean_field(normalize_phone, phone, field="applicant_phone")
    user = User.objects.filter(national_id=national_id).first()
    if user is not None:
        return user
    if User.objects.filter(phone=phone).exists():
        raise ServiceError(_(ERR_PHONE_TAKEN), field="applicant_phone")
    user = User(kind=AccountKind.CITIZEN, full_name=full_name.strip(), phone=phone, national_id=national_id)
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def dossier_register_at_counter(
    *,
    official,
    procedure_code: str,
    agency_code: str,
    channel: str,
    applicant_full_name: str,
    applicant_national_id: str,
    applicant_phone: str,
    form_data: dict | None = None,
    delivery_method: str = "counter",
    delivery_address: dict | None = None,
    on_behalf_note: str = "",
) -> Dossier:
    if not StaffRole.objects.filter(user=official, role=Role.RECEIVER, agency__code=agency_code).exists():
        raise PermissionDeniedError(_(ERR_NOT_RECEIVER))
    if channel not in (IntakeChannel.COUNTER, IntakeChannel.POSTAL):
        raise ServiceError(_("Kênh tiếp nhận không hợp lệ."), field="channel")
    applicant = applicant_for_counter(
        full_name=applicant_full_name, national_id=applicant_national_id, phone=applicant_phone
    )
    dossier = dossier_create_draft(
        applicant=applicant,
        procedure_code=procedure_code,
        agency_code=agency_code,
        form_data=form_data,
        delivery_method=delivery_method,
        delivery_address=delivery_address,
        channel=channel,
        registered_by=official,
        on_behalf_note=on_behalf_note,
    )
    assign_code_and_fee(dossier, now=clock.now())
    workflow.transition(
        dossier,
        action="register_at_counter",
        actor=official,
        actor_roles=frozenset({Actor.RECEIVER}),
        data=ActionInput(note=on_behalf_note),
    )
    return dossier
