"""Creating and editing drafts: the applicant's side before submission."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.constants import DossierStatus, IntakeChannel
from dossiers.models import Dossier
from portal.errors import ConflictError, NotFoundError, ServiceError, ValidationFailed, too_long_message
from procedures.addresses import canonical_address
from procedures.constants import DeliveryMethod, OnlineLevel
from procedures.form_schema import validate_form_data
from procedures.models import Agency, Procedure

ERR_PROCEDURE_UNKNOWN = gettext_noop("Không tìm thấy thủ tục.")
ERR_PROCEDURE_NOT_ONLINE = gettext_noop("Thủ tục này chỉ cung cấp thông tin (mức độ 2), không nộp hồ sơ trực tuyến.")
ERR_AGENCY_UNKNOWN = gettext_noop("Không tìm thấy cơ quan.")
ERR_AGENCY_NOT_HANDLING = gettext_noop("Cơ quan này không giải quyết thủ tục đã chọn.")
ERR_DELIVERY_METHOD = gettext_noop("Thủ tục không hỗ trợ hình thức nhận kết quả này.")
ERR_ADDRESS_REQUIRED = gettext_noop("Cần nhập {field} để nhận kết quả qua bưu chính.")
ERR_NOT_DRAFT = gettext_noop("Chỉ sửa được hồ sơ đang ở trạng thái bản nháp.")
ERR_FORM_DATA_NOT_OBJECT = gettext_noop("Dữ liệu tờ khai phải là một đối tượng JSON.")

ADDRESS_FIELDS = {"province": "tỉnh/thành phố", "commune": "xã/phường", "street": "số nhà, đường"}
ADDRESS_OPTIONAL = ("district", "recipient_name", "recipient_phone")
ADDRESS_PART_MAX_LENGTH = 200


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code, is_active=True).first()
    if procedure is None:
        raise ServiceError(_(ERR_PROCEDURE_UNKNOWN), field="procedure")
    return procedure


def _agency_for(procedure: Procedure, code: str) -> Agency:
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise ServiceError(_(ERR_AGENCY_UNKNOWN), field="agency")
    if not procedure.agencies.filter(pk=agency.pk).exists():
        raise ServiceError(_(ERR_AGENCY_NOT_HANDLING), field="agency")
    return agency


def clean_form_data(*, procedure: Procedure, form_data, partial: bool) -> dict:
    """Check answers against the procedure's e-form; a partial check (drafts) skips missing fields."""
    if not isinstance(form_data, dict):
        raise ValidationFailed({"form_data": [_(ERR_FORM_DATA_NOT_OBJECT)]})
    errors = validate_form_data(procedure.form_schema, form_data)
    if partial:
        errors = {name: message for name, message in errors.items() if name in form_data}
    if errors:
        raise ValidationFailed({"form_data": {name: [message] for name, message in errors.items()}})
    return form_data


def clean_delivery(*, procedure: Procedure, method: str, address) -> tuple[str, dict]:
    if method not in DeliveryMethod.values or method not in procedure.delivery_methods:
        raise ServiceError(_(ERR_DELIVERY_METHOD), field="delivery_method")
    if method != DeliveryMethod.POSTAL:
        return method, {}
    address = address if isinstance(address, dict) else {}
    cleaned = {key: str(address.get(key, "")).strip() for key in (*ADDRESS_FIELDS, *ADDRESS_OPTIONAL)}
    errors = {
        key: [_(ERR_ADDRESS_REQUIRED).format(field=label)] for key, label in ADDRESS_FIELDS.items() if not cleaned[key]
    }
    errors |= {
        key: [too_long_message(ADDRESS_PART_MAX_LENGTH)]
        for key, value in cleaned.items()
        if len(value) > ADDRESS_PART_MAX_LENGTH
    }
    if errors:
        raise ValidationFailed({"delivery_address": errors})
    canonical, errors = canonical_address({key: value for key, value in cleaned.items() if value})
    if errors:
        raise ValidationFailed({"delivery_address": errors})
    return method, canonical


@transaction.atomic
def dossier_create_draft(
    *,
    applicant,
    procedure_code: str,
    agency_code: str,
    form_data: dict | None = None,
    delivery_method: str = DeliveryMethod.COUNTER,
    delivery_address: dict | None = None,
    partial: bool = False,
    channel: str = IntakeChannel.ONLINE,
    registered_by=None,
    on_behalf_note: str = "",
) -> Dossier:
    procedure = _procedure(procedure_code)
    if channel == IntakeChannel.ONLINE and procedure.online_level < OnlineLevel.LEVEL_3:
        raise ServiceError(_(ERR_PROCEDURE_NOT_ONLINE), field="procedure")
    agency = _agency_for(procedure, agency_code)
    form_data = clean_form_data(procedure=procedure, form_data=form_data or {}, partial=partial)
    delivery_method, delivery_address = clean_delivery(
        procedure=procedure, method=delivery_method, address=delivery_address
    )
    return Dossier.objects.create(
        procedure=procedure,
        agency=agency,
        applicant=applicant,
        applicant_name=applicant.full_name,
        applicant_id_number=applicant.national_id or applicant.tax_code or "",
        applicant_phone=applicant.phone,
        registered_by=registered_by,
        on_behalf_note=on_behalf_note[:255],
        channel=channel,
        form_data=form_data,
        delivery_method=delivery_method,
        delivery_address=delivery_address,
    )


def dossier_for_applicant(*, dossier_id, user, lock: bool = False) -> Dossier:
    """The caller's own dossier, or 404 (never reveal that someone else's exists)."""
    queryset = Dossier.objects.select_related("procedure", "agency")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    dossier = queryset.filter(pk=dossier_id, applicant=user).first()
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ."))
    dossier.applicant = user  # the caller, already loaded: notices to the applicant need no query
    return dossier


@transaction.atomic
def dossier_update_draft(
    *,
    dossier_id: int,
    user,
    form_data: dict | None = None,
    delivery_method: str | None = None,
    delivery_address: dict | None = None,
) -> Dossier:
    """Save as you go: answers are merged in and checked only for what was given."""
    dossier = dossier_for_applicant(dossier_id=dossier_id, user=user, lock=True)
    if dossier.status != DossierStatus.DRAFT:
        raise ConflictError(_(ERR_NOT_DRAFT), code="wrong_status")
    fields = []
    if form_data is not None:
        merged = {
            **dossier.form_data,
            **clean_form_data(procedure=dossier.procedure, form_data=form_data, partial=True),
        }
        dossier.form_data = {key: value for key, value in merged.items() if value not in ("", None)}
        fields.append("form_data")
    if delivery_method is not None:
        dossier.delivery_method, dossier.delivery_address = clean_delivery(
            procedure=dossier.procedure, method=delivery_method, address=delivery_address
        )
        fields += ["delivery_method", "delivery_address"]
    if fields:
        dossier.save(update_fields=[*fields, "updated_at"])
    return dossier
