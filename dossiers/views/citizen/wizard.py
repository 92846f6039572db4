"""The submission wizard: e-form, attachments, result delivery, review and submit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dossiers import charges
from dossiers.constants import DossierStatus
from dossiers.forms.citizen import size_limit_label
from dossiers.forms.delivery import DeliveryForm
from dossiers.forms.schema import form_for_schema
from dossiers.models import Dossier
from dossiers.services import drafts, submission
from dossiers.views.citizen.shared import document_rows, own_dossier, render_page
from portal.accounts.selectors import account_delivery_initial
from portal.errors import NotFoundError, ServiceError, ValidationFailed
from procedures.form_schema import form_answers

STEPS = (
    ("form", gettext_lazy("Tờ khai")),
    ("attachments", gettext_lazy("Giấy tờ đính kèm")),
    ("delivery", gettext_lazy("Nhận kết quả")),
    ("review", gettext_lazy("Kiểm tra và nộp")),
)
STEP_NAMES = [name for name, _label in STEPS]
# Schema fields a citizen's account already answers; pre-filled, never saved until they save the step.
PROFILE_ANSWERS = {"ho_ten": "full_name", "so_dinh_danh": "national_id", "so_dien_thoai": "phone"}


@login_required
def dossier_edit(request, dossier_id: int, step: str = "form"):
    if step not in STEP_NAMES:
        raise Http404
    dossier = own_dossier(request, dossier_id)
    if dossier.status != DossierStatus.DRAFT:
        messages.info(request, _("Hồ sơ đã nộp nên không sửa được nữa."))
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    return STEP_VIEWS[step](request, dossier)


def step_url(dossier: Dossier, step: str) -> str:
    if step == STEP_NAMES[0]:
        return reverse("dossiers:edit", kwargs={"dossier_id": dossier.pk})
    return reverse("dossiers:edit-step", kwargs={"dossier_id": dossier.pk, "step": step})


def _render_step(request, dossier: Dossier, step: str, context: dict):
    index = STEP_NAMES.index(step)
    steps = [
        {"name": name, "label": label, "number": number, "url": step_url(dossier, name), "current": name == step}
        for number, (name, label) in enumerate(STEPS, start=1)
    ]
    return render_page(
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
        return redirect(step_url(dossier, step))
    return redirect(step_url(dossier, STEP_NAMES[STEP_NAMES.index(step) + 1]))


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


def _attachments_step(request, dossier: Dossier):
    problem = ""
    if request.method == "POST":
        missing = submission.missing_mandatory_documents(dossier)
        if not missing:
            return _after_save(request, dossier, step="attachments")
        problem = _("Còn thiếu giấy tờ bắt buộc: %(names)s.") % {"names": "; ".join(missing)}
    context = {
        "documents": document_rows(request, dossier, with_reuse=True),
        "size_limit": size_limit_label(),
        "problem": problem,
        "here": step_url(dossier, "attachments"),
    }
    return _render_step(request, dossier, "attachments", context)


REFRESH_COMMUNES = "communes"


def _delivery_step(request, dossier: Dossier):
    methods = dossier.procedure.delivery_methods
    if request.method != "POST":
        initial = {
            "delivery_method": dossier.delivery_method,
            **account_delivery_initial(user=request.user),
            **dossier.delivery_address,
        }
        return _render_step(request, dossier, "delivery", {"form": DeliveryForm(initial=initial, methods=methods)})
    if request.POST.get("intent") == REFRESH_COMMUNES:
        # The province changed: show its communes, keeping what was typed, before anything is saved.
        form = DeliveryForm(initial=request.POST.dict(), methods=methods)
        return _render_step(request, dossier, "delivery", {"form": form})
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
    breakdown = charges.dossier_fee_breakdown(dossier)
    context = {
        "answers": form_answers(dossier.procedure.form_schema, dossier.form_data),
        "documents": document_rows(request, dossier, with_reuse=False),
        "problems": _problems(dossier),
        "fee": breakdown.total - breakdown.postage,
        "postage": charges.dossier_postage(dossier),
        "postage_online": bool(breakdown.postage),
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
