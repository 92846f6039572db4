"""JSON answers for errors raised outside DRF views under /api/ (unknown paths, crashes)."""

from django.http import JsonResponse
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Không tìm thấy.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Lỗi máy chủ.", "code": "server_error"}, status=500)
    return defaults.server_error(request)
