"""The citizen's dossier pages: start a dossier, the wizard, my dossiers, a dossier's page,
supplement / withdraw / rating, the receipt, in-app notices and the public lookup.

Views parse the request, call one service or selector, and render; every rule lives in the
services, whose typed errors are shown next to the field they name or as an alert.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from rest_framework.throttling import ScopedRateThrottle

from dossiers import rules, selectors, workflow
from dossiers.constants import Actor, DossierStatus
from dossiers.documents import receipt_pdf
from dossiers.forms import (
    AgencyChoiceForm,
    DeliveryForm,
    LookupForm,
    NoteForm,
    RatingForm,
    WithdrawForm,
    accept_attribute,
    accepted_labels,
    form_for_schema,
    size_limit_label,
)
from dossiers.models import Dossier
from dossiers.roles import actor_roles
from dossiers.services import drafts, rating, review, submission
from dossiers.services.attachments import attachment_add, attachment_reuse
from dossiers.uploads import SizeLimitedUploadHandler
from portal.errors import ConflictError, NotFoundError, ServiceError, ValidationFailed
from portal.notifications.selectors import in_app_notices
from procedures import selectors as catalog
from procedures.constants import DeliveryMethod, OnlineLevel

PAGE_SIZE = 20
UPLOAD_ERRORS = "dossiers_upload_errors"
APPLICANT = frozenset({Actor.APPLICANT})
STEPS = (
    ("form", gettext_lazy("Tờ khai")),
    ("attachments", gettext_lazy("Giấy tờ đính kèm")),
    ("delivery", gettext_lazy("Nhận kết quả")),
    ("review", gettext_lazy("Kiểm tra và nộp")),
)
STEP_NAMES = [name for name, _label in STEPS]
# One action may lead to different statuses ("submit" with or without an online fee): label by both.
# Schema fields a citizen's account already answers; pre-filled, never saved until they save the step.
PROFILE_ANSWERS = {"ho_ten": "full_name", "so_dinh_danh": "national_id", "so_dien_thoai": "phone"}


def _render(request, template: str, context: dict):
    return render(request, f"dossiers/citizen/{template}", {"nav_section": "dossiers", **context})


def _own_dossier(request, dossier_id: int) -> Dossier:
    """The caller's own dossier with its history; officials use the back office, everyone else gets 404."""
    try:
        dossier = selectors.dossier_for_user(dossier_id=dossier_id, user=request.user)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if dossier.applicant_id != request.user.pk:
        raise Http404
    return dossier


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --- Starting a dossier -------------------------------------------------------------------------


@login_required
def dossier_new(request, procedure_code: str):
    try:
        procedure = catalog.procedure_get(code=procedure_code)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    agencies = list(procedure.agencies.all())
    if procedure.online_level < OnlineLevel.LEVEL_3 or not agencies:
        return _render(request, "info_only.html", {"procedure": procedure, "has_agencies": bool(agencies)})
    form = AgencyChoiceForm(request.POST or None, agencies=agencies, initial={"agency": agencies[0].code})
    if request.method == "POST" and form.is_valid():
        methods = procedure.delivery_methods or [DeliveryMethod.COUNTER]
        try:
            dossier = drafts.dossier_create_draft(
                applicant=request.user,
                procedure_code=procedure.code,
                agency_code=form.cleaned_data["agency"],
                delivery_method=DeliveryMethod.COUNTER if DeliveryMethod.COUNTER in methods else methods[0],
                partial=True,
            )
        except ServiceError as exc:
            form.add_error("agency" if exc.field == "agency" else None, exc.message)
        else:
            messages.success(request, _("Đã tạo bản nháp. Hồ sơ được lưu lại sau mỗi bước."))
            return redirect("dossiers:edit", dossier_id=dossier.pk)
    return _render(request, "new.html", {"procedure": procedure, "form": form, "single_agency": len(agencies) == 1})


# --- The wizard ---------------------------------------------------------------------------------


@login_required
def dossier_edit(request, dossier_id: int, step: str = "form"):
    if step not in STEP_NAMES:
        raise Http404
    dossier = _own_dossier(request, dossier_id)
    if dossier.status != DossierStatus.DRAFT:
        messages.info(request, _("Hồ sơ đã nộp nên không sửa được nữa."))
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    return STEP_VIEWS[step](request, dossier)


def _step_url(dossier: Dossier, step: str) -> str:
    if step == STEP_NAMES[0]:
        return reverse("dossiers:edit", kwargs={"dossier_id": dossier.pk})
    return reverse("dossiers:edit-step", kwargs={"dossier_id": dossier.pk, "step": step})


def _render_step(request, dossier: Dossier, step: str, context: dict):
    index = STEP_NAMES.index(step)
    steps = [
        {"name": name, "label": label, "number": number, "url": _step_url(dossier, name), "current": name == step}
        for number, (name, label) in enumerate(STEPS, start=1)
    ]
    return _render(
        request,
        f"step_{step}.html",
        {
            "dossier": dossier,
            "steps": steps,
            "step": steps[index],
            "previous_url": steps[index - 1]["url"] if index else None,
            **context,
        },
    )


def _after_save(request, dossier: Dossier, *, step: str):
    """'Lưu nháp' stays on the step; 'Tiếp tục' moves on."""
    if request.POST.get("intent") == "save":
        messages.success(request, _("Đã lưu nháp. Bạn có thể quay lại hoàn thiện sau tại “Hồ sơ của tôi”."))
        return redirect(_step_url(dossier, step))
    return redirect(_step_url(dossier, STEP_NAMES[STEP_NAMES.index(step) + 1]))


def _profile_answers(user, schema: dict) -> dict:
    properties = schema.get("properties", {})
    answers = {name: getattr(user, attribute, "") for name, attribute in PROFILE_ANSWERS.items()}
    return {name: value for name, value in answers.items() if name in properties and value}


def _form_step(request, dossier: Dossier):
    schema = dossier.procedure.form_schema
    if request.method != "POST":
        initial = {**_profile_answers(request.user, schema), **dossier.form_data}
        return _render_step(request, dossier, "form", {"form": form_for_schema(schema, initial=initial)})
    form = form_for_schema(schema, data=request.POST)
    if form.is_valid():
        try:
            saved = drafts.dossier_update_draft(dossier_id=dossier.pk, user=request.user, form_data=form.answers())
            if request.POST.get("intent") != "save":
                drafts.clean_form_data(procedure=saved.procedure, form_data=saved.form_data, partial=False)
        except ValidationFailed as exc:
            form.add_service_errors(exc.errors.get("form_data", exc.message))
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return _after_save(request, dossier, step="form")
    return _render_step(request, dossier, "form", {"form": form})


def _document_rows(request, dossier: Dossier, *, with_reuse: bool) -> list[dict]:
    """One row per required document: its current file, the upload input, earlier files to reuse."""
    current = {attachment.document_id: attachment for attachment in dossier.attachments.all()}
    reusable = selectors.reusable_attachments(dossier=dossier) if with_reuse else {}
    errors = request.session.pop(UPLOAD_ERRORS, {})
    return [
        {
            "document": document,
            "attachment": current.get(document.pk),
            "accept": accept_attribute(document.accepted_types),
            "accepted_labels": accepted_labels(document.accepted_types),
            "reusable": reusable.get(document.key, []),
            "error": errors.get(document.key, ""),
        }
        for document in dossier.procedure.required_documents.all()
    ]


def _attachments_step(request, dossier: Dossier):
    problem = ""
    if request.method == "POST":
        missing = submission.missing_mandatory_documents(dossier)
        if not missing:
            return _after_save(request, dossier, step="attachments")
        problem = _("Còn thiếu giấy tờ bắt buộc: %(names)s.") % {"names": "; ".join(missing)}
    context = {
        "documents": _document_rows(request, dossier, with_reuse=True),
        "size_limit": size_limit_label(),
        "problem": problem,
        "here": _step_url(dossier, "attachments"),
    }
    return _render_step(request, dossier, "attachments", context)


def _delivery_step(request, dossier: Dossier):
    methods = dossier.procedure.delivery_methods
    if request.method != "POST":
        initial = {"delivery_method": dossier.delivery_method, **dossier.delivery_address}
        return _render_step(request, dossier, "delivery", {"form": DeliveryForm(initial=initial, methods=methods)})
    form = DeliveryForm(request.POST, methods=methods)
    if form.is_valid():
        try:
            drafts.dossier_update_draft(
                dossier_id=dossier.pk,
                user=request.user,
                delivery_method=form.cleaned_data["delivery_method"],
                delivery_address=form.address(),
            )
        except ServiceError as exc:
            form.add_service_errors(exc)
        else:
            return _after_save(request, dossier, step="delivery")
    return _render_step(request, dossier, "delivery", {"form": form})


def _answers(dossier: Dossier) -> list[tuple[str, object]]:
    properties = dossier.procedure.form_schema.get("properties", {})
    return [(prop["title"], dossier.form_data.get(name)) for name, prop in properties.items()]


def _problems(dossier: Dossier) -> list[str]:
    try:
        submission.check_complete(dossier)
    except ValidationFailed as exc:
        return _flatten(exc.errors)
    return []


def _flatten(errors) -> list[str]:
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _flatten(value)]
    if isinstance(errors, list):
        return [message for value in errors for message in _flatten(value)]
    return [str(errors)]


def _review_step(request, dossier: Dossier):
    context = {
        "answers": _answers(dossier),
        "documents": _document_rows(request, dossier, with_reuse=False),
        "problems": _problems(dossier),
        "fee": submission.fee_owed(procedure=dossier.procedure, channel=dossier.channel),
    }
    return _render_step(request, dossier, "review", context)


STEP_VIEWS = {
    "form": _form_step,
    "attachments": _attachments_step,
    "delivery": _delivery_step,
    "review": _review_step,
}


@login_required
@require_POST
def dossier_submit(request, dossier_id: int):
    try:
        dossier = submission.dossier_submit(dossier_id=dossier_id, user=request.user)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    except ValidationFailed as exc:
        for message in _flatten(exc.errors):
            messages.error(request, message)
        return redirect("dossiers:edit-step", dossier_id=dossier_id, step="review")
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:detail", dossier_id=dossier_id)
    messages.success(request, _("Đã nộp hồ sơ thành công. Mã hồ sơ của bạn: %(code)s.") % {"code": dossier.code})
    return redirect("dossiers:detail", dossier_id=dossier.pk)


# --- Attachments (wizard and supplement) --------------------------------------------------------


@csrf_exempt
@login_required
def attachment_upload(request, dossier_id: int):
    # The size-limited handler must be in place before anything reads the body, CSRF included;
    # the CSRF check then runs in the inner view.
    request.upload_handlers = [SizeLimitedUploadHandler(request)]
    return _attachment_upload(request, dossier_id)


@csrf_protect
@require_POST
def _attachment_upload(request, dossier_id: int):
    dossier = _own_dossier(request, dossier_id)
    key = request.POST.get("document", "")
    upload = request.FILES.get("file")
    if upload is None:
        return _upload_failed(request, dossier, key, _("Hãy chọn một tệp để tải lên."))
    try:
        attachment = attachment_add(dossier=dossier, user=request.user, document_key=key, uploaded_file=upload)
    except ServiceError as exc:
        return _upload_failed(request, dossier, key, exc.message)
    messages.success(
        request,
        _("Đã nhận tệp “%(name)s” cho “%(document)s”.")
        % {"name": attachment.original_name, "document": attachment.document.name},
    )
    return redirect(_back_to_files(request, dossier))


@login_required
@require_POST
def attachment_reuse_view(request, dossier_id: int):
    dossier = _own_dossier(request, dossier_id)
    key = request.POST.get("document", "")
    source = request.POST.get("source_attachment", "")
    if not source.isdigit():
        return _upload_failed(request, dossier, key, _("Hãy chọn một tệp đã nộp trước đây."))
    try:
        attachment = attachment_reuse(
            dossier=dossier, user=request.user, document_key=key, source_attachment_id=int(source)
        )
    except ServiceError as exc:
        return _upload_failed(request, dossier, key, exc.message)
    messages.success(
        request,
        _("Đã dùng lại tệp “%(name)s” cho “%(document)s”.")
        % {"name": attachment.original_name, "document": attachment.document.name},
    )
    return redirect(_back_to_files(request, dossier))


def _back_to_files(request, dossier: Dossier) -> str:
    default = (
        _step_url(dossier, "attachments")
        if dossier.status == DossierStatus.DRAFT
        else reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk})
    )
    return _safe_next(request, default) + "#giay-to"


def _upload_failed(request, dossier: Dossier, key: str, message: str):
    # Kept for the next page so the message sits beside the document it is about.
    request.session[UPLOAD_ERRORS] = {key: message}
    messages.error(request, _("Chưa nhận được tệp: %(reason)s") % {"reason": message})
    return redirect(_back_to_files(request, dossier))


# --- My dossiers and a dossier's page -----------------------------------------------------------


@login_required
def dossier_list(request):
    # A draft the citizen withdrew was never sent anywhere: it leaves their list.
    dossiers = selectors.dossiers_of_applicant(user=request.user).exclude(
        status=DossierStatus.WITHDRAWN, code__isnull=True
    )
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "list.html", {"page": page})


def _result_state(dossier: Dossier) -> str:
    """'ready' (downloadable), 'fee' (waiting for the fee), or '' (no result to offer)."""
    if not rules.result_visible(dossier):
        return ""
    return "ready" if rules.fee_settled(dossier) else "fee"


def _rating_of(dossier: Dossier):
    try:
        return dossier.rating
    except Dossier.rating.RelatedObjectDoesNotExist:
        return None


def _detail_context(request, dossier: Dossier, **forms) -> dict:
    events = [event for event in dossier.events.all() if event.is_public]
    actions = {t.action for t in workflow.available_actions(dossier, actor_roles(user=request.user, dossier=dossier))}
    supplement_request = next((e for e in reversed(events) if e.action == "request_supplement"), None)
    in_supplement = dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    return {
        "dossier": dossier,
        "events": [(event, workflow.event_label(event)) for event in events],
        "answers": _answers(dossier),
        "documents": _document_rows(request, dossier, with_reuse=in_supplement),
        "size_limit": size_limit_label(),
        "can_supplement": "supplement" in actions,
        "can_withdraw": "withdraw" in actions,
        "supplement_request": supplement_request if in_supplement else None,
        "note_form": forms.get("note_form") or NoteForm(),
        "rating": _rating_of(dossier),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "can_rate": dossier.status == DossierStatus.COMPLETED,
        "result_state": _result_state(dossier),
        "overdue": selectors.is_overdue(dossier),
        "here": reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk}),
    }


@login_required
def dossier_detail(request, dossier_id: int):
    dossier = _own_dossier(request, dossier_id)
    if dossier.status == DossierStatus.DRAFT:
        return redirect("dossiers:edit", dossier_id=dossier.pk)
    return _render(request, "detail.html", _detail_context(request, dossier))


@login_required
@require_POST
def dossier_supplement(request, dossier_id: int):
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            review.dossier_act(
                dossier_id=dossier_id,
                user=request.user,
                action="supplement",
                data=review.ActionInput(note=form.cleaned_data["note"]),
            )
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        except ServiceError as exc:
            form.add_error("note" if exc.field in {"note", "reason"} else None, exc.message)
        else:
            messages.success(request, _("Đã gửi hồ sơ bổ sung. Cán bộ sẽ tiếp tục giải quyết."))
            return redirect("dossiers:detail", dossier_id=dossier_id)
    dossier = _own_dossier(request, dossier_id)
    return _render(request, "detail.html", _detail_context(request, dossier, note_form=form))


@login_required
def dossier_withdraw(request, dossier_id: int):
    dossier = _own_dossier(request, dossier_id)
    is_draft = dossier.status == DossierStatus.DRAFT
    initial = {"reason": _("Không tiếp tục nộp hồ sơ này.")} if is_draft else {}
    form = WithdrawForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review.dossier_act(
                dossier_id=dossier.pk,
                user=request.user,
                action="withdraw",
                data=review.ActionInput(reason=form.cleaned_data["reason"]),
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("dossiers:detail", dossier_id=dossier.pk)
        except ServiceError as exc:
            form.add_error("reason" if exc.field == "reason" else None, exc.message)
        else:
            if is_draft:
                messages.success(request, _("Đã hủy bản nháp."))
                return redirect("dossiers:list")
            messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("dossiers:detail", dossier_id=dossier.pk)
    return _render(request, "withdraw.html", {"dossier": dossier, "form": form, "is_draft": is_draft})


@login_required
@require_POST
def dossier_rate(request, dossier_id: int):
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rating.dossier_rate(dossier_id=dossier_id, user=request.user, **form.cleaned_data)
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("dossiers:detail", dossier_id=dossier_id)
        except ServiceError as exc:
            form.add_error("score" if exc.field == "score" else None, exc.message)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá."))
            return redirect("dossiers:detail", dossier_id=dossier_id)
    dossier = _own_dossier(request, dossier_id)
    return _render(request, "detail.html", _detail_context(request, dossier, rating_form=form))


@login_required
def dossier_receipt(request, dossier_id: int):
    dossier = _own_dossier(request, dossier_id)
    if not dossier.code:
        raise Http404(_("Hồ sơ chưa nộp nên chưa có giấy tiếp nhận."))
    response = HttpResponse(receipt_pdf(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Notices and the public lookup --------------------------------------------------------------


@login_required
def notice_list(request):
    notices = in_app_notices(user=request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "notices.html", {"page": page})


class _LookupScope:
    # Shares the API lookup's budget per client, so the page is no way around the API's throttle.
    throttle_scope = "lookup"


def dossier_lookup(request):
    form = LookupForm(request.POST or None)
    dossier, not_found, status = None, "", 200
    if request.method == "POST" and form.is_valid():
        if not ScopedRateThrottle().allow_request(request, _LookupScope):
            form.add_error(None, _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."))
            status = 429
        else:
            try:
                dossier = selectors.public_lookup(**form.cleaned_data)
            except NotFoundError as exc:
                not_found = exc.message
    events = [(event, workflow.event_label(event)) for event in dossier.events.all()] if dossier else []
    context = {"form": form, "result": dossier, "events": events, "not_found": not_found}
    return render(request, "dossiers/citizen/lookup.html", {"nav_section": "lookup", **context}, status=status)
