"""Starting a dossier: the procedure's agency choice, or its information page below level 3."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from dossiers.forms.citizen import AgencyChoiceForm
from dossiers.services import drafts
from dossiers.views.citizen.shared import render_page
from portal.errors import NotFoundError, ServiceError
from procedures import selectors as catalog
from procedures.constants import DeliveryMethod, OnlineLevel


@login_required
def dossier_new(request, procedure_code: str):
    try:
        procedure = catalog.procedure_get(code=procedure_code)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    agencies = list(procedure.agencies.all())
    if procedure.online_level < OnlineLevel.LEVEL_3 or not agencies:
        return render_page(request, "info_only.html", {"procedure": procedure, "has_agencies": bool(agencies)})
    form = AgencyChoiceForm(request.POST or None, agencies=agencies, initial={"agency": agencies[0].code})
    if request.method == "POST" and form.is_valid():
        methods = procedure.delivery_methods or [DeliveryMethod.COUNTER]
        try:
            dossier = drafts.dossier_create_draft(
                applicant=request.user,
                procedure_code=procedure.code,
                agency_code=form.cleaned_data["agency"],
                delivery_method=DeliveryMethod.COUNTER if DeliveryMethod.COUNTER in methods else methods[0],
                partial=True,
            )
        except ServiceError as exc:
            form.add_error("agency" if exc.field == "agency" else None, exc.message)
        else:
            messages.success(request, _("Đã tạo bản nháp. Hồ sơ được lưu lại sau mỗi bước."))
            return redirect("dossiers:edit", dossier_id=dossier.pk)
    return render_page(request, "new.html", {"procedure": procedure, "form": form, "single_agency": len(agencies) == 1})
