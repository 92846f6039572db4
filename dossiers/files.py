"""Serving dossier files, and the upload endpoint.

Files never live under a public URL: every byte goes through these views, which show it
only to the dossier's applicant or to an official holding a role at the dossier's agency.
Everyone else gets 404, so a guessed id reveals nothing.
"""

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers import rules, store
from dossiers.api.serializers import AttachmentOutput
from dossiers.models import Attachment, Dossier
from dossiers.roles import actor_roles
from dossiers.services.attachments import attachment_add, attachment_mark_digitised, dossier_for_upload
from dossiers.uploads import IMAGE_TYPES, SUPPORTED_TYPES, SizeLimitedUploadHandler, sniff
from portal.api.schema import error_response
from portal.errors import NotFoundError, ServiceError

# Statuses in which the applicant may download the result (the fee must be settled as well).
# Served files get no script, no plugin, no frame: even a crafted file opened inline can do nothing.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
FILE_RESPONSES = {
    (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="Nội dung tệp"),
    404: error_response(404, "Không có tệp, hoặc người gọi không được xem hồ sơ"),
}


class AttachmentUploadInput(serializers.Serializer):
    document = serializers.CharField(max_length=64, help_text="Mã thành phần hồ sơ (key của required_documents)")
    file = serializers.FileField(help_text="Tệp PDF, JPEG hoặc PNG; định dạng xác định theo nội dung tệp")
    digitised = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Bản quét hồ sơ giấy của quầy: cán bộ xác nhận đã đối chiếu với bản giấy (đánh dấu đã số hóa). "
            "Tệp người nộp gửi trực tuyến luôn được tính là đã số hóa."
        ),
    )


class AttachmentCreateApi(APIView):
    """POST /api/v1/dossiers/{dossier_id}/attachments/: attach one paper to a draft or a supplement, or
    (the counter) a scan of a paper dossier while it is open."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        # Must be set before anything reads the body, or Django spools the whole upload first.
        request.upload_handlers = [SizeLimitedUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        operation_id="dossier_attachment_create",
        summary="Đính kèm giấy tờ vào hồ sơ",
        description=(
            "Người nộp: hồ sơ phải là bản nháp hoặc đang được yêu cầu bổ sung. Cán bộ một cửa: bản quét giấy tờ "
            "của hồ sơ giấy (nộp tại quầy hoặc qua bưu chính) khi hồ sơ chưa kết thúc. "
            "Định dạng tệp (PDF, JPEG, PNG) xác định theo nội dung, không theo tên tệp; ảnh được mã hoá lại và bỏ "
            "EXIF. Tệp mới thay thế tệp cũ của cùng giấy tờ."
        ),
        request={"multipart/form-data": AttachmentUploadInput},
        responses={
            201: AttachmentOutput,
            400: error_response(400, "Tệp bị từ chối hoặc mã giấy tờ sai; thân trả lời nêu trường và lý do"),
            404: error_response(404, "Không có hồ sơ này, hoặc không phải hồ sơ của người gọi"),
            409: error_response(409, "Hồ sơ không còn ở trạng thái nháp hoặc chờ bổ sung (hồ sơ giấy: đã kết thúc)"),
        },
        tags=["dossiers"],
    )
    def post(self, request, dossier_id: int):
        dossier = dossier_for_upload(dossier_id=dossier_id, user=request.user)
        data = AttachmentUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = attachment_add(
            dossier=dossier,
            user=request.user,
            document_key=data.validated_data["document"],
            uploaded_file=data.validated_data["file"],
            digitised=data.validated_data["digitised"],
        )
        return Response(AttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDigitisedApi(APIView):
    """POST /api/v1/dossiers/{dossier_id}/attachments/{attachment_id}/digitised/: the counter confirms a scan."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="dossier_attachment_digitised",
        summary="Đánh dấu bản quét đã số hóa",
        description=(
            "Cán bộ một cửa xác nhận bản quét giấy tờ của hồ sơ giấy đã được đối chiếu với bản giấy. "
            "Đánh dấu lại không thay đổi gì."
        ),
        request=None,
        responses={
            200: AttachmentOutput,
            404: error_response(404, "Không có hồ sơ hoặc giấy tờ này, hoặc không phải hồ sơ giấy của cơ quan"),
            409: error_response(409, "Hồ sơ đã kết thúc"),
        },
        tags=["dossiers"],
    )
    def post(self, request, dossier_id: int, attachment_id: int):
        attachment = attachment_mark_digitised(dossier_id=dossier_id, attachment_id=attachment_id, user=request.user)
        return Response(AttachmentOutput(attachment).data)


def _roles_or_404(*, user, dossier: Dossier) -> frozenset:
    roles = rules.roles_that_see(dossier, actor_roles(user=user, dossier=dossier))
    if not roles:
        raise Http404
    return roles


def _attachment_or_404(*, user, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.select_related("dossier").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    _roles_or_404(user=user, dossier=attachment.dossier)
    return attachment


def file_response(field_file, *, content_type: str, filename: str, max_age: int = 0) -> FileResponse:
    """Stream a stored file privately; PDFs (and anything not an image) download rather than open inline."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = content_type in IMAGE_TYPES
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    if max_age:
        patch_cache_control(response, private=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Cookie", "Authorization"))
    return response


class AttachmentFileView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="dossier_attachment_file", summary="Tải tệp đính kèm", responses=FILE_RESPONSES, tags=["files"]
    )
    def get(self, request, attachment_id: int):
        attachment = _attachment_or_404(user=request.user, attachment_id=attachment_id)
        return file_response(attachment.file, content_type=attachment.content_type, filename=attachment.original_name)


class AttachmentThumbnailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="dossier_attachment_thumbnail",
        summary="Ảnh xem trước của tệp đính kèm",
        responses=FILE_RESPONSES,
        tags=["files"],
    )
    def get(self, request, attachment_id: int):
        attachment = _attachment_or_404(user=request.user, attachment_id=attachment_id)
        stem = attachment.original_name.rsplit(".", 1)[0]
        # Previews repeat on list pages: a short private cache is worth it, and they are tiny.
        return file_response(
            attachment.thumbnail, content_type="image/jpeg", filename=f"{stem}-xem-truoc.jpg", max_age=300
        )


class ResultFileView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="dossier_result_file",
        summary="Tải tệp kết quả giải quyết",
        responses=FILE_RESPONSES,
        tags=["files"],
    )
    def get(self, request, dossier_id: int):
        dossier = Dossier.objects.filter(pk=dossier_id).first()
        if dossier is None:
            raise Http404
        roles = _roles_or_404(user=request.user, dossier=dossier)
        if not rules.result_downloadable(dossier, roles):
            raise Http404
        content_type = _stored_type(dossier.result_file)
        extension = SUPPORTED_TYPES.get(content_type, "")
        return file_response(
            dossier.result_file,
            content_type=content_type,
            filename=f"{dossier.code or dossier.pk}-ket-qua{extension}",
        )


def _stored_type(field_file) -> str:
    """Result files come from officials; the type is still read from the bytes, never the name."""
    if not field_file:
        raise Http404
    try:
        with field_file.open("rb") as handle:
            head = handle.read(8192)
    except FileNotFoundError:
        raise Http404 from None
    try:
        return sniff(head)
    except ServiceError:
        return "application/octet-stream"


class StoredDocumentFileView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="stored_document_file",
        summary="Tải giấy tờ trong kho dữ liệu điện tử của người gọi",
        responses=FILE_RESPONSES,
        tags=["files"],
    )
    def get(self, request, stored_document_id: int):
        try:
            stored = store.stored_document_of(user=request.user, stored_document_id=stored_document_id)
        except NotFoundError:
            raise Http404 from None
        extension = SUPPORTED_TYPES.get(stored.content_type, "")
        return file_response(stored.file, content_type=stored.content_type, filename=f"{stored.name[:80]}{extension}")
