"""Typed errors raised by services; the API maps each to its status code, pages to a message."""

import math
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

# Notes, reasons and comments: what a person types into a text area, bounded so one request
# cannot store a megabyte of text in a timeline row.
FREE_TEXT_MAX_LENGTH = 2000
ERR_TOO_LONG = gettext_noop("Nội dung quá dài: tối đa {limit} ký tự.")


def too_long_message(limit: int) -> str:
    return _(ERR_TOO_LONG).format(limit=limit)


class ServiceError(Exception):
    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.code = code or self.default_code

    def as_dict(self) -> dict:
        if self.field:
            return {self.field: [self.message]}
        return {"detail": self.message, "code": self.code}


def check_max_length(value: str, *, field: str, limit: int = FREE_TEXT_MAX_LENGTH) -> str:
    """The value, or a 400 naming the field when it is longer than `limit` characters."""
    if len(value) > limit:
        raise ServiceError(too_long_message(limit), field=field, code="max_length")
    return value


class PermissionDeniedError(ServiceError):
    status_code = 403
    default_code = "permission_denied"


class NotFoundError(ServiceError):
    status_code = 404
    default_code = "not_found"


class ConflictError(ServiceError):
    status_code = 409
    default_code = "conflict"


class TooManyRequestsError(ServiceError):
    """`retry_after` (seconds), when known, becomes the Retry-After header on the API and on pages."""

    status_code = 429
    default_code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int | None = None, field=None, code=None):
        super().__init__(message, field=field, code=code)
        self.retry_after = retry_after

    @classmethod
    def retry_later(cls, reason: str, *, seconds: float, code: str | None = None) -> "TooManyRequestsError":
        """`reason` followed by when to come back, in minutes and as a local clock time."""
        seconds = max(1, math.ceil(seconds))
        minutes = math.ceil(seconds / 60)
        at = timezone.localtime(timezone.now() + timedelta(seconds=seconds)).strftime("%H:%M")
        when = ngettext(
            "Vui lòng thử lại sau %(minutes)d phút (lúc %(time)s).",
            "Vui lòng thử lại sau %(minutes)d phút (lúc %(time)s).",
            minutes,
        ) % {"minutes": minutes, "time": at}
        return cls(f"{reason} {when}", retry_after=seconds, code=code)


class ValidationFailed(ServiceError):
    """Several fields wrong at once: `errors` maps each field (or a nested dict of them) to messages."""

    def __init__(self, errors: dict, message: str = "Dữ liệu không hợp lệ."):
        super().__init__(message, code="invalid")
        self.errors = errors

    def as_dict(self) -> dict:
        return self.errors


class FieldErrors(ValidationFailed):
    """Flat {field: [message, ...]}, several at once (a form shows them together); names the first as `field`."""

    def __init__(self, errors: dict[str, list[str]], *, code: str = "invalid"):
        errors = {field: [str(message) for message in messages] for field, messages in errors.items()}
        super().__init__(errors, message=next(iter(errors.values()))[0])
        self.field = next(iter(errors))
        self.code = code


class PayloadTooLargeError(ServiceError):
    status_code = 413
    default_code = "too_large"


class UnsafeInputError(ServiceError):
    """A NUL character, a lone surrogate or bytes that are not UTF-8, refused at the edge.

    The field is named beside the message rather than as a key: it comes from the request and may
    be a path into a JSON body ("form_data.ho_ten") or a query parameter.
    """

    default_code = "invalid_characters"

    def as_dict(self) -> dict:
        return {"detail": self.message, "code": self.code, "field": self.field}
