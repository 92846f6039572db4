"""Counter intake: an official registers a paper dossier brought to the counter or sent by post."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.forms.delivery import DeliveryForm
from dossiers.forms.office import CounterApplicantForm, CounterProcedureForm
from dossiers.forms.schema import form_for_schema
from dossiers.services.counter import dossier_register_at_counter
from dossiers.views.office.shared import Desk, forbidden, office_required, render_page
from portal.accounts.constants import Role
from portal.errors import PermissionDeniedError, ServiceError, ValidationFailed
from portal.formatting import local_datetime
from procedures import selectors as catalog

ERR_NOT_RECEIVER = gettext_lazy("Chỉ cán bộ tiếp nhận của cơ quan mới nhập được hồ sơ giấy.")


@office_required
def counter_new(request, desk: Desk):
    if desk.agency is None:
        return render_page(request, "choose_agency.html", {"desk": desk})
    if Role.RECEIVER not in desk.roles:
        return forbidden(request, ERR_NOT_RECEIVER)
    procedures = list(catalog.procedures_of_agency(agency=desk.agency))
    code = request.POST.get("procedure") or request.GET.get("procedure", "")
    procedure = next((p for p in procedures if p.code == code), None)
    choose = CounterProcedureForm(initial={"procedure": code}, procedures=procedures)
    if procedure is None:
        return render_page(request, "counter_new.html", {"desk": desk, "choose": choose})
    data = request.POST if request.method == "POST" else None
    applicant = CounterApplicantForm(data, prefix="applicant")
    eform = form_for_schema(procedure.form_schema, data=data)
    delivery = DeliveryForm(
        data, prefix="delivery", methods=procedure.delivery_methods, initial={"delivery_method": "counter"}
    )
    if data is not None and all([applicant.is_valid(), eform.is_valid(), delivery.is_valid()]):
        try:
            dossier = dossier_register_at_counter(
                official=request.user,
                procedure_code=procedure.code,
                agency_code=desk.agency.code,
                form_data=eform.answers(),
                delivery_method=delivery.cleaned_data["delivery_method"],
                delivery_address=delivery.address(),
                **applicant.cleaned_data,
            )
        except PermissionDeniedError as exc:
            return forbidden(request, exc.message)
        except ValidationFailed as exc:
            eform.add_service_errors(exc.errors.get("form_data", {}))
            delivery.add_service_errors(exc)
        except ServiceError as exc:
            target = next((f for f in (applicant, delivery) if exc.field in f.fields), applicant)
            target.add_error(exc.field if exc.field in target.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. Ngày hẹn trả kết quả: %(due)s.")
                % {"code": dossier.code, "due": local_datetime(dossier.due_at)},
            )
            return redirect("office:detail", dossier_id=dossier.pk)
    context = {
        "desk": desk,
        "choose": choose,
        "procedure": procedure,
        "applicant": applicant,
        "eform": eform,
        "delivery": delivery,
        "has_errors": data is not None,
    }
    return render_page(request, "counter_new.html", context, status=400 if data is not None else 200)
