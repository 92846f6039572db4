"""How the OpenAPI schema describes the API's errors: one body shape, and the answers an operation
gives before its own code runs, added from what the view is rather than repeated on every view.

Standard answers, by what the view is:
- 400 everywhere: a NUL or a broken Unicode code point in any header, query or path is refused.
- 401 when the view authenticates: no credentials where they are needed, or a wrong or expired token.
- 403 on writes where a session may authenticate: a session request without its CSRF token.
- 404 when the path names an object (missing, or not the caller's) and on paginated lists (no such page).
- 413 on writes: a body past the upload limit; 415 where a body is read: a content type it cannot parse.
- 429 when the view is throttled.
Anything an operation's own service may answer (403 for a role, 404 for a query, 409 for a status)
is listed in its extend_schema with `error_responses(...)`.
"""

import re

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication

ERROR_DESCRIPTIONS = {
    400: "Yêu cầu không hợp lệ: thân trả lời nêu trường và lý do",
    401: "Chưa đăng nhập, hoặc token sai hay đã hết hạn",
    403: "Không được phép: vai trò của người gọi không cho thao tác này, hoặc thiếu mã CSRF khi dùng phiên đăng nhập",
    404: "Không tìm thấy, hoặc người gọi không được xem (không tiết lộ sự tồn tại)",
    409: "Trạng thái hiện tại không cho thao tác này",
    413: "Thân yêu cầu quá lớn",
    415: "Kiểu nội dung (Content-Type) không được hỗ trợ",
    429: "Quá nhiều yêu cầu; header Retry-After cho biết số giây cần chờ",
}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_PATH_PARAMETER = re.compile(r"{\w+}")


class ErrorBody(serializers.Serializer):
    """The body of every 4xx answer: a reason (portal.errors.ServiceError.as_dict, DRF's own errors),
    or field errors (DRF's validation errors, a ServiceError naming its field)."""

    detail = serializers.CharField(help_text="Lý do, để người dùng đọc")
    code = serializers.CharField(
        required=False, help_text="Mã lỗi để máy đọc, ví dụ not_found, wrong_status, too_large, invalid_characters"
    )
    field = serializers.CharField(
        required=False, help_text="Trường bị từ chối vì ký tự không hợp lệ, ví dụ form_data.ho_ten"
    )


FIELD_ERRORS = {
    "type": "object",
    "title": "Lỗi theo trường",
    "description": "Tên trường → các thông báo lỗi, hoặc lỗi của các trường lồng bên trong",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": {}},
        ]
    },
}


class ErrorBodyExtension(OpenApiSerializerExtension):
    """A reason, or field errors: either shape (a query parameter may itself be called `field`)."""

    target_class = ErrorBody

    def map_serializer(self, auto_schema, direction):
        reason = auto_schema._map_serializer(self.target_class, direction, bypass_extensions=True)
        reason.update(title="Lỗi chung", description="Một lý do; `field` chỉ có khi dữ liệu chứa ký tự không hợp lệ")
        return {
            "description": "Lỗi: một lý do (`detail`, `code`), hoặc lỗi theo từng trường",
            "anyOf": [reason, FIELD_ERRORS],
        }


def error_response(status_code: int, description: str | None = None) -> OpenApiResponse:
    return OpenApiResponse(ErrorBody, description=description or ERROR_DESCRIPTIONS[status_code])


def error_responses(*status_codes: int) -> dict[int, OpenApiResponse]:
    """The documented error answers of an operation's own service, for extend_schema(responses=...)."""
    return {code: error_response(code) for code in status_codes}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, adding the standard error answers each operation can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in sorted(self.standard_error_codes()):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(error_response(code), str(code), direction=direction)
        return dict(sorted(responses.items()))

    def standard_error_codes(self) -> set[int]:
        view = self.view
        codes = {400}
        authenticators = list(view.authentication_classes)
        if authenticators:
            codes.add(401)
        if self.method in WRITE_METHODS and any(issubclass(a, SessionAuthentication) for a in authenticators):
            codes.add(403)
        if _PATH_PARAMETER.search(self.path) or (self._is_list_view() and self._get_paginator()):
            codes.add(404)
        if self.method in BODY_METHODS:
            codes.add(413)
            if self.get_request_serializer() is not None:
                codes.add(415)
        if view.throttle_classes:
            codes.add(429)
        return codes
