from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.api.refusals import request_refusal
from portal.errors import ServiceError, TooManyRequestsError
from portal.throttling import too_many_requests


def exception_handler(exc, context):
    if isinstance(exc, Throttled):
        # The project's error shape and language, with the wait also in the Retry-After header.
        exc = too_many_requests(seconds=exc.wait or 1)
    exc = request_refusal(exc) or exc
    if isinstance(exc, ServiceError):
        response = Response(exc.as_dict(), status=exc.status_code)
        if isinstance(exc, TooManyRequestsError) and exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, DjangoValidationError):
        # The documented error body: field → messages, or one reason with its code.
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": " ".join(exc.messages), "code": "invalid"}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
