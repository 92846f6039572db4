"""The public verification of e-results: open the link printed on a result, or upload a file. No login."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from dossiers.models import EResult
from dossiers.services.eresults import (
    ERR_CHECK_NO_FILE,
    ERR_CHECK_TOO_LARGE,
    eresult_check,
    eresult_check_stored,
    read_for_check,
)
from dossiers.uploads import SizeLimitedUploadHandler
from portal.errors import TooManyRequestsError
from portal.throttling import page_throttle

TEMPLATE = "dossiers/eresults/verify.html"


def eresult_verify_token(request, token):
    e_result = get_object_or_404(EResult.objects.select_related("dossier", "agency"), token=token)
    try:
        check = eresult_check_stored(e_result)
    except FileNotFoundError:
        raise Http404 from None
    return render(request, TEMPLATE, {"nav_section": "lookup", "check": check, "e_result": e_result})


@csrf_exempt
def eresult_verify(request):
    # The size-limited handler must be in place before anything reads the body, CSRF included.
    request.upload_handlers = [SizeLimitedUploadHandler(request)]
    return _eresult_verify(request)


@csrf_protect
def _eresult_verify(request):
    context, status = {"nav_section": "lookup"}, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        content = read_for_check(upload) if upload is not None else None
        try:
            page_throttle(request, scope="lookup")
        except TooManyRequestsError as exc:
            context["error"], status = exc.message, 429
        else:
            if upload is None:
                context["error"], status = _(ERR_CHECK_NO_FILE), 400
            elif not content:
                context["error"], status = _(ERR_CHECK_TOO_LARGE), 400
            else:
                context["check"] = eresult_check(content)
    return render(request, TEMPLATE, context, status=status)
