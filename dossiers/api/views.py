"""Dossier API: each view parses input, calls one service or selector, and serializes."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

import portal.clock as clock
from dossiers import selectors, workflow
from dossiers.api import serializers as io
from dossiers.api.paperwork import form_download
from dossiers.constants import Actor, DossierStatus
from dossiers.models import Dossier
from dossiers.roles import actor_roles, official_agency_ids
from dossiers.services import drafts, rating, review, submission
from dossiers.services.counter import dossier_register_at_counter
from portal.api.parsers import JSONParser, MultiPartParser
from portal.api.schema import error_response, error_responses
from portal.errors import NotFoundError, PermissionDeniedError, ServiceError, check_max_length
from portal.throttling import ClientScopedRateThrottle

StatusOutput = inline_serializer(
    "DossierStatusOutput",
    {
        "id": serializers.IntegerField(),
        "code": serializers.CharField(allow_null=True, help_text="null khi hồ sơ chưa nộp"),
        "status": serializers.CharField(),
        "status_label": serializers.CharField(),
    },
)
ActionOutput = inline_serializer(
    "DossierActionOutput",
    {
        "id": serializers.IntegerField(),
        "code": serializers.CharField(allow_null=True),
        "status": serializers.CharField(),
        "status_label": serializers.CharField(),
        "due_at": serializers.DateTimeField(allow_null=True),
        "amount_due": serializers.IntegerField(),
        "amount_paid": serializers.IntegerField(),
    },
)
NOT_FOUND_OR_NOT_YOURS = "Không có hồ sơ này, hoặc người gọi không được xem"
WRONG_STATUS = error_responses(409)


def status_body(dossier) -> dict:
    return {
        "id": dossier.pk,
        "code": dossier.code,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
    }


def detail_response(request, dossier_id, *, code=status.HTTP_200_OK) -> Response:
    dossier = selectors.dossier_for_user(dossier_id=dossier_id, user=request.user)
    context = {"roles": actor_roles(user=request.user, dossier=dossier), "request": request}
    return Response(io.DossierDetailOutput(dossier, context=context).data, status=code)


class DossierListCreateApi(ListAPIView):
    """The caller's own dossiers; POST creates a draft."""

    permission_classes = [IsAuthenticated]
    serializer_class = io.DossierListOutput
    queryset = Dossier.objects.none()  # for the schema; requests use the selector
    project_page = staticmethod(selectors.list_rows)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "search", str, description="một phần mã hồ sơ, hoặc tên, mã thủ tục (không phân biệt dấu)"
            ),
            OpenApiParameter("status", str, enum=list(DossierStatus.values)),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        status_ = params.get("status", "")
        if status_ and status_ not in DossierStatus.values:
            raise ServiceError(_("Không có trạng thái này."), field="status")
        search = check_max_length(params.get("search", ""), field="search", limit=100)
        return selectors.dossiers_filtered(
            selectors.dossiers_of_applicant(user=self.request.user), search=search, status=status_
        )

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(self.get_queryset())
        labels, zone = io.status_labels(), timezone.get_current_timezone()
        return self.get_paginated_response([io.list_item(row, labels=labels, zone=zone) for row in rows])

    @extend_schema(
        request=io.DossierCreateInput,
        responses={
            201: io.DossierDetailOutput,
            404: error_response(404, "Không có thủ tục hoặc cơ quan với mã đã gửi"),
        },
    )
    def post(self, request):
        data = io.DossierCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        dossier = drafts.dossier_create_draft(
            applicant=request.user,
            procedure_code=data.validated_data["procedure"],
            agency_code=data.validated_data["agency"],
            form_data=data.validated_data["form_data"],
            delivery_method=data.validated_data["delivery_method"],
            delivery_address=data.validated_data["delivery_address"],
        )
        # The new draft is at hand and has no history yet: answer from it rather than reading it back.
        dossier = selectors.dossier_new_draft_for_detail(dossier)
        context = {"roles": frozenset({Actor.APPLICANT}), "request": request}
        return Response(io.DossierDetailOutput(dossier, context=context).data, status=status.HTTP_201_CREATED)


class DossierDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: io.DossierDetailOutput, 404: error_response(404, NOT_FOUND_OR_NOT_YOURS)})
    def get(self, request, dossier_id):
        return detail_response(request, dossier_id)

    @extend_schema(
        request=io.DossierUpdateInput,
        responses={200: io.DossierDetailOutput, 409: error_response(409, "Hồ sơ không còn là bản nháp")},
    )
    def patch(self, request, dossier_id):
        data = io.DossierUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        drafts.dossier_update_draft(dossier_id=dossier_id, user=request.user, **data.validated_data)
        return detail_response(request, dossier_id)


class DossierSubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: StatusOutput, **WRONG_STATUS})
    def post(self, request, dossier_id):
        dossier = submission.dossier_submit(dossier_id=dossier_id, user=request.user)
        return Response(status_body(dossier))


class DossierSupplementApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=io.NoteInput, responses={200: StatusOutput, **WRONG_STATUS})
    def post(self, request, dossier_id):
        data = io.NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        dossier = review.dossier_act(
            dossier_id=dossier_id,
            user=request.user,
            action="supplement",
            data=review.ActionInput(note=data.validated_data["note"]),
        )
        return Response(status_body(dossier))


class DossierWithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=io.ReasonInput, responses={200: StatusOutput, **WRONG_STATUS})
    def post(self, request, dossier_id):
        data = io.ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        dossier = review.dossier_act(
            dossier_id=dossier_id,
            user=request.user,
            action="withdraw",
            data=review.ActionInput(reason=data.validated_data["reason"]),
        )
        return Response(status_body(dossier))


class DossierRatingApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=io.RatingInput,
        responses={201: io.RatingInput, 409: error_response(409, "Hồ sơ chưa hoàn thành, hoặc đã được đánh giá")},
    )
    def post(self, request, dossier_id):
        data = io.RatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved = rating.dossier_rate(dossier_id=dossier_id, user=request.user, **data.validated_data)
        return Response({"score": saved.score, "comment": saved.comment}, status=status.HTTP_201_CREATED)


class DossierActionApi(APIView):
    """An official's workflow action: receive, reject, request_supplement, assign, forward, approve,
    return, refuse, record_counter_payment, hand_over, ship, issue_apology."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request={"application/json": io.ActionInput, "multipart/form-data": io.ActionInput},
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(workflow.OFFICIAL_ACTIONS))],
        responses={
            200: ActionOutput,
            404: error_response(404, "Không có hồ sơ hoặc thao tác này, hoặc hồ sơ không thuộc cơ quan của người gọi"),
            **WRONG_STATUS,
        },
    )
    def post(self, request, dossier_id, action):
        if action not in workflow.OFFICIAL_ACTIONS:
            raise NotFoundError(_("Không có thao tác này."))
        data = io.ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        dossier = review.dossier_act(
            dossier_id=dossier_id,
            user=request.user,
            action=action,
            data=review.ActionInput(
                note=values["note"],
                reason=values["reason"],
                assignee_id=values["assignee"],
                amount=values["amount"],
                result_file=values["file"],
                new_due_at=values["new_due_at"],
                papers=tuple(values["documents"]),
                other_papers=tuple(values["other_documents"]),
            ),
        )
        body = status_body(dossier)
        body.update(due_at=dossier.due_at, amount_due=dossier.amount_due, amount_paid=dossier.amount_paid)
        return Response(body)


class QueueApi(ListAPIView):
    """Dossiers of the caller's agencies, oldest appointment first, with every tab's count."""

    permission_classes = [IsAuthenticated]
    serializer_class = io.QueueItemOutput
    pagination_class = io.QueuePagination
    queryset = Dossier.objects.none()  # for the schema; requests use the selector
    project_page = staticmethod(selectors.queue_rows)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "tab", str, enum=["new", "processing", "supplement", "approval", "result", "delivery", "overdue"]
            ),
            OpenApiParameter("status", str, description="một hoặc nhiều trạng thái, phân cách bằng dấu phẩy"),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("due_soon", bool),
            OpenApiParameter("assignee", str, description="'me', 'none' hoặc id cán bộ"),
            OpenApiParameter("search", str, description="mã hồ sơ hoặc tên người nộp"),
        ],
        responses={200: io.QueueItemOutput(many=True), 403: error_response(403, "Người gọi không phải cán bộ một cửa")},
    )
    def get(self, request, *args, **kwargs):
        # Read once: the queue, its count and the tabs all use it.
        self.agency_ids = official_agency_ids(user=request.user)
        if not self.agency_ids:
            raise PermissionDeniedError(_("Chỉ cán bộ một cửa mới xem được hàng đợi hồ sơ."))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params

        def flag(name):
            value = params.get(name)
            return None if value in (None, "") else value.lower() in {"1", "true", "yes"}

        return selectors.agency_queue(
            user=self.request.user,
            agency_ids=self.agency_ids,
            tab=params.get("tab", ""),
            status=params.get("status", ""),
            overdue=flag("overdue"),
            due_soon=flag("due_soon"),
            assignee=params.get("assignee", ""),
            search=params.get("search", ""),
        )

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(self.get_queryset())
        labels, now, zone = io.status_labels(), clock.now(), timezone.get_current_timezone()
        items = [io.queue_item(row, labels=labels, now=now, zone=zone) for row in rows]
        response = self.get_paginated_response(items)
        response.data["tabs"] = selectors.agency_queue_counts(agency_ids=self.agency_ids)
        return response


class CounterDossierCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=io.CounterDossierInput,
        responses={
            201: io.DossierDetailOutput,
            403: error_response(403, "Người gọi không phải cán bộ tiếp nhận của cơ quan"),
            404: error_response(404, "Không có thủ tục hoặc cơ quan với mã đã gửi"),
        },
    )
    def post(self, request):
        data = io.CounterDossierInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        dossier = dossier_register_at_counter(
            official=request.user,
            procedure_code=values.pop("procedure"),
            agency_code=values.pop("agency"),
            **values,
        )
        return detail_response(request, dossier.pk, code=status.HTTP_201_CREATED)


class LookupApi(APIView):
    """Public status lookup by dossier code and the last 4 digits of the applicant's ID or phone."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        parameters=[OpenApiParameter("code", str, required=True), OpenApiParameter("id_last4", str, required=True)],
        responses={200: io.LookupOutput, 404: error_response(404, "Mã hồ sơ và 4 số cuối không khớp")},
    )
    def get(self, request):
        row, events = selectors.public_lookup_summary(
            code=request.query_params.get("code", ""), id_last4=request.query_params.get("id_last4", "")
        )
        return Response(io.lookup_body(row, events, labels=io.status_labels()))


class DossierReceiptApi(APIView):
    """The receipt's former address: form 01, the receipt and appointment (giấy tiếp nhận và hẹn trả)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        deprecated=True,
        description="Như GET /api/v1/dossiers/{dossier_id}/forms/01/.",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: error_response(404, NOT_FOUND_OR_NOT_YOURS),
            409: error_response(409, "Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận"),
        },
    )
    def get(self, request, dossier_id):
        return form_download(request, dossier_id, "01")
