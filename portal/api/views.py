"""JSON answers for errors raised outside DRF views under /api/ and /files/ (unknown paths, refused
requests, crashes): the file downloads are API views too, documented with the same error body."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from portal.api.refusals import ERR_BAD_REQUEST, request_refusal
from portal.errors import ServiceError

JSON_ERROR_PREFIXES = ("/api/", "/files/")


def _is_api(request) -> bool:
    return request.path.startswith(JSON_ERROR_PREFIXES)


def bad_request(request, exception=None):
    """A 400, or a 413 for a body past DATA_UPLOAD_MAX_MEMORY_SIZE; the plain 400 page off the API."""
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    error = exception if isinstance(exception, ServiceError) else request_refusal(exception)
    error = error or ServiceError(_(ERR_BAD_REQUEST), code="bad_request")
    return JsonResponse(error.as_dict(), status=error.status_code)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Không tìm thấy.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Lỗi máy chủ.", "code": "server_error"}, status=500)
    return defaults.server_error(request)
