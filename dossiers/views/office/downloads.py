"""The Circular 01/2018 forms of a dossier (also the applicant's links: the view lets the dossier's
applicant and its officials through, each to the forms they may have) and the agency's register (06).
The receipt and apology slip's former addresses lead to forms 01 and 04."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from dossiers import paperwork
from dossiers.forms.office import RegisterForm
from dossiers.views.office.shared import Desk, forbidden, office_required, render_page
from portal.errors import ConflictError, NotFoundError, PermissionDeniedError, ServiceError

RECEIPT, APOLOGY = "01", "04"


def download_response(download: paperwork.Download) -> HttpResponse:
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def dossier_form(request, dossier_id: int, number: str, back: str = "office:detail"):
    """A form as PDF; before the step it records, back to the dossier's page with the reason."""
    try:
        download = paperwork.dossier_form_download(
            dossier_id=dossier_id, number=number, user=request.user, request=request
        )
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect(back, dossier_id=dossier_id)
    return download_response(download)


def form_redirect(number: str, route: str):
    """An address the portal used to serve a paper at, now leading to the form that replaced it."""

    def view(request, dossier_id: int):
        return redirect(route, dossier_id=dossier_id, number=number, permanent=True)

    return view


@office_required
def agency_register(request, desk: Desk):
    """Form 06: the register of one of the official's agencies for a period, as PDF or XLSX."""
    agencies = paperwork.register_agencies(user=request.user)
    today = timezone.localdate()
    initial = {
        "agency": desk.agency.code if desk.agency else "",
        "date_from": today.replace(day=1),
        "date_to": today,
        "format": paperwork.PDF,
    }
    form = RegisterForm(request.GET or None, agencies=agencies, initial=initial)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                download = paperwork.register_download(
                    user=request.user,
                    agency_code=data["agency"],
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    fmt=data["format"],
                )
            except PermissionDeniedError as exc:
                return forbidden(request, exc.message)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else "date_to", exc.message)
            else:
                return download_response(download)
    return render_page(request, "register.html", {"desk": desk, "form": form}, status=status)
