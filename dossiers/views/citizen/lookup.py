"""The public lookup by dossier code and the last 4 digits of the applicant's ID or phone."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import ScopedRateThrottle

from dossiers import selectors, workflow
from dossiers.forms.citizen import LookupForm
from portal.errors import NotFoundError


class _LookupScope:
    # Shares the API lookup's budget per client, so the page is no way around the API's throttle.
    throttle_scope = "lookup"


def dossier_lookup(request):
    # A QR code on a form opens this page with the dossier's code filled in; the second factor is asked for.
    form = LookupForm(request.POST or None, initial={"code": request.GET.get("code", "")[:64]})
    dossier, not_found, status = None, "", 200
    if request.method == "POST" and form.is_valid():
        if not ScopedRateThrottle().allow_request(request, _LookupScope):
            form.add_error(None, _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."))
            status = 429
        else:
            try:
                dossier = selectors.public_lookup(**form.cleaned_data)
            except NotFoundError as exc:
                not_found = exc.message
    events = [(event, workflow.event_label(event)) for event in dossier.events.all()] if dossier else []
    context = {"form": form, "result": dossier, "events": events, "not_found": not_found}
    return render(request, "dossiers/citizen/lookup.html", {"nav_section": "lookup", **context}, status=status)
