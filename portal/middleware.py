"""Turns away requests carrying text the portal will not handle, before any view or query sees it."""

from urllib.parse import unquote_to_bytes

from django.core.handlers.wsgi import get_bytes_from_wsgi

from portal.api.refusals import unsafe_input
from portal.api.views import bad_request
from portal.text import is_safe_bytes, is_safe_text, unsafe_urlencoded_field

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def unsafe_request_field(request) -> str | None:
    """Where a NUL, a lone surrogate or non-UTF-8 bytes sit in the request, or None.

    Django passes a NUL through to the views and the database, and decodes bad UTF-8 leniently: in
    the query string it becomes U+FFFD, so the raw query string is checked; in the path it is
    quoted again (`%ED%A0%80` stays those nine characters, and PATH_INFO is overwritten with that),
    so the path is unquoted once more, which also turns away a literal `%2500` nobody needs.
    JSON and multipart bodies are checked by the API's parsers (multipart must stay unread here, so
    a view can still choose its upload handlers); a form body is small and read here.
    """
    if not is_safe_bytes(unquote_to_bytes(request.path_info)):
        return "path"
    field = unsafe_urlencoded_field(get_bytes_from_wsgi(request.META, "QUERY_STRING", ""))
    if field is not None:
        return field
    for name, value in request.headers.items():
        if "\x00" in value:
            return name
    if not all(is_safe_text(name) and is_safe_text(value) for name, value in request.COOKIES.items()):
        return "Cookie"
    if request.content_type == FORM_CONTENT_TYPE:
        return unsafe_urlencoded_field(request.body)
    return None


class UnsafeInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = unsafe_request_field(request)
        if field is not None:
            return bad_request(request, unsafe_input(field))
        return self.get_response(request)
