"""Typed errors raised by services; the API maps each to its status code, pages to a message."""


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
    status_code = 429
    default_code = "too_many_requests"


class ValidationFailed(ServiceError):
    """Several fields wrong at once: `errors` maps each field (or a nested dict of them) to messages."""

    def __init__(self, errors: dict, message: str = "Dữ liệu không hợp lệ."):
        super().__init__(message, code="invalid")
        self.errors = errors

    def as_dict(self) -> dict:
        return self.errors
