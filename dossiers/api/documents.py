"""API of the citizen's document store and of e-result checks."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers import store
from dossiers.api.serializers import AttachmentOutput
from dossiers.constants import StoredDocumentKind
from dossiers.models import StoredDocument
from dossiers.services.attachments import attachment_from_store, dossier_for_upload
from dossiers.services.eresults import ERR_CHECK_TOO_LARGE, eresult_check, read_for_check, verification_url
from dossiers.uploads import SizeLimitedUploadHandler
from portal.api.parsers import JSONParser, MultiPartParser
from portal.api.schema import error_response
from portal.errors import PayloadTooLargeError, ServiceError
from portal.esign import pades
from portal.throttling import ClientScopedRateThrottle


class StoredDocumentOutput(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="e_result (kết quả điện tử) hoặc paper (giấy tờ đã nộp)")
    kind_label = serializers.CharField(source="get_kind_display")
    dossier_code = serializers.CharField(source="dossier.code")
    procedure = serializers.CharField(source="dossier.procedure.code")
    document_key = serializers.CharField(help_text="Mã thành phần hồ sơ của giấy tờ; rỗng với kết quả điện tử")
    reuse_count = serializers.IntegerField(help_text="Số lần đã dùng lại trong hồ sơ khác")
    file_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField(help_text="Trang kiểm tra chữ ký số (chỉ với kết quả điện tử)")

    class Meta:
        model = StoredDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "document_key",
            "dossier_code",
            "procedure",
            "content_type",
            "size",
            "sha256",
            "created_at",
            "reuse_count",
            "file_url",
            "verify_url",
        ]

    def get_file_url(self, entry) -> str:
        return reverse("dossier_files:stored-document", kwargs={"stored_document_id": entry.pk})

    def get_verify_url(self, entry) -> str | None:
        if entry.kind != StoredDocumentKind.E_RESULT:
            return None
        e_result = getattr(entry.dossier, "e_result", None)
        return verification_url(e_result.token) if e_result else None


class MyDocumentsApi(ListAPIView):
    """GET /api/v1/me/documents/: the caller's document store (kho dữ liệu điện tử), newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = StoredDocumentOutput
    queryset = StoredDocument.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return store.stored_documents_of(user=self.request.user)

    @extend_schema(
        operation_id="my_documents_list",
        summary="Kho dữ liệu điện tử của người gọi",
        description=(
            "Kết quả điện tử (có chữ ký số) và giấy tờ đã được chấp nhận của các hồ sơ đã hoàn thành. Mỗi mục dùng "
            "lại được cho thành phần hồ sơ phù hợp của hồ sơ mới: POST /api/v1/dossiers/{id}/attachments/from-store/."
        ),
        tags=["documents"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FromStoreInput(serializers.Serializer):
    document = serializers.CharField(max_length=64, help_text="Mã thành phần hồ sơ (key của required_documents)")
    stored_document = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="id của giấy tờ trong kho dữ liệu điện tử"
    )


class AttachmentFromStoreApi(APIView):
    """POST /api/v1/dossiers/{id}/attachments/from-store/: use a stored document for a paper, no upload."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="dossier_attachment_from_store",
        summary="Lấy giấy tờ từ kho dữ liệu điện tử cho thành phần hồ sơ",
        description=(
            "Hồ sơ của người gọi, ở trạng thái nháp hoặc chờ bổ sung. Giấy tờ phải là của người gọi và phù hợp thành "
            "phần hồ sơ (cùng mã giấy tờ, hoặc là kết quả điện tử; định dạng được chấp nhận). Tệp không được tải lên "
            "hay sao chép lại; hồ sơ ghi nhận việc dùng lại dữ liệu số hóa."
        ),
        request=FromStoreInput,
        responses={
            201: AttachmentOutput,
            400: error_response(400, "Giấy tờ không phù hợp thành phần hồ sơ, hoặc mã thành phần sai"),
            404: error_response(404, "Không có hồ sơ hoặc giấy tờ này, hoặc không phải của người gọi"),
            409: error_response(409, "Hồ sơ không còn ở trạng thái nháp hoặc chờ bổ sung"),
        },
        tags=["documents"],
    )
    def post(self, request, dossier_id: int):
        dossier = dossier_for_upload(dossier_id=dossier_id, user=request.user)
        data = FromStoreInput(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = attachment_from_store(
            dossier=dossier,
            user=request.user,
            document_key=data.validated_data["document"],
            stored_document_id=data.validated_data["stored_document"],
        )
        return Response(AttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)


class VerifyInput(serializers.Serializer):
    file = serializers.FileField(help_text="Tệp kết quả cần kiểm tra (PDF có chữ ký số)")


class VerifyOutput(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[pades.VALID, pades.UNTRUSTED, pades.BROKEN, pades.UNSIGNED],
        help_text=(
            "valid: nguyên vẹn, chứng thư do CA của Cổng cấp; untrusted: nguyên vẹn nhưng chứng thư không do CA của "
            "Cổng cấp; broken: tệp bị sửa sau khi ký; unsigned: không phải PDF có chữ ký số"
        ),
    )
    message = serializers.CharField()
    signer = serializers.CharField(help_text="Tên trong chứng thư số (cơ quan ký)")
    signer_code = serializers.CharField(help_text="Mã cơ quan trong chứng thư số")
    signed_at = serializers.DateTimeField(allow_null=True)
    certificate_serial = serializers.CharField()
    dossier_code = serializers.CharField(help_text="Mã hồ sơ khi tệp là kết quả điện tử do Cổng cấp")


class EResultVerifyApi(APIView):
    """POST /api/v1/e-results/verify/: check a signed result (no login), as the public page does."""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [MultiPartParser]
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "lookup"

    def initialize_request(self, request, *args, **kwargs):
        request.upload_handlers = [SizeLimitedUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        operation_id="e_result_verify",
        summary="Kiểm tra chữ ký số của kết quả điện tử",
        request={"multipart/form-data": VerifyInput},
        responses={200: VerifyOutput},
        tags=["documents"],
    )
    def post(self, request):
        data = VerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        content = read_for_check(data.validated_data["file"])
        if content is None:
            raise PayloadTooLargeError(_(ERR_CHECK_TOO_LARGE), field="file")
        if not content:
            raise ServiceError(_(ERR_CHECK_TOO_LARGE), field="file")
        check = eresult_check(content)
        return Response(VerifyOutput(check).data)
