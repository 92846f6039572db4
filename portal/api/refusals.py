"""Requests refused before any view reads them: the errors, and their messages, that the API
answers with (through DRF's exception handler, or Django's 400 handler outside DRF)."""

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.errors import PayloadTooLargeError, ServiceError, UnsafeInputError
from portal.text import field_label

ERR_UNSAFE_CHARACTERS = gettext_noop("Dữ liệu có ký tự không hợp lệ (ký tự NUL hoặc mã Unicode hỏng).")
ERR_JSON_TOO_DEEP = gettext_noop("Dữ liệu JSON lồng nhau quá sâu: tối đa {limit} cấp.")
ERR_BODY_TOO_LARGE = gettext_noop("Dữ liệu gửi lên quá lớn.")
ERR_TOO_MANY_FIELDS = gettext_noop("Yêu cầu có quá nhiều trường dữ liệu.")
ERR_TOO_MANY_FILES = gettext_noop("Yêu cầu có quá nhiều tệp.")
ERR_BAD_REQUEST = gettext_noop("Yêu cầu không hợp lệ.")


def unsafe_input(field) -> UnsafeInputError:
    return UnsafeInputError(_(ERR_UNSAFE_CHARACTERS), field=field_label(field))


def request_refusal(exc) -> ServiceError | None:
    """The API's answer when Django refuses a request it cannot read (too big, too many fields or
    files, malformed); raised wherever the body is first read, in a DRF parser or outside DRF."""
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLargeError(_(ERR_BODY_TOO_LARGE))
    if isinstance(exc, TooManyFieldsSent):
        return ServiceError(_(ERR_TOO_MANY_FIELDS), code="too_many_fields")
    if isinstance(exc, TooManyFilesSent):
        return ServiceError(_(ERR_TOO_MANY_FILES), code="too_many_files")
    if isinstance(exc, (SuspiciousOperation, BadRequest, MultiPartParserError)):
        return ServiceError(_(ERR_BAD_REQUEST), code="bad_request")
    return None
