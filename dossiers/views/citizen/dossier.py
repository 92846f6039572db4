"""A dossier's page: status, timeline, answers and files; supplement, withdraw, rating, its forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers import page_panels, paperwork, rules, selectors, workflow
from dossiers.constants import DossierStatus
from dossiers.forms.citizen import NoteForm, RatingForm, WithdrawForm, size_limit_label
from dossiers.models import Dossier
from dossiers.roles import actor_roles
from dossiers.services import rating, review
from dossiers.views.citizen.shared import document_rows, own_dossier, render_page, supplement_rows
from portal.errors import ConflictError, NotFoundError, ServiceError
from procedures.form_schema import form_answers


def _result_state(dossier: Dossier) -> str:
    """'ready' (downloadable), 'fee' (waiting for the fee), or '' (no result to offer)."""
    if rules.result_visible(dossier) and rules.fee_settled(dossier):
        return "ready"
    return "fee" if rules.result_awaits_fee(dossier) else ""


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
    asked = supplement_rows(request, dossier) if in_supplement else []
    return {
        "dossier": dossier,
        "events": [(event, workflow.event_label(event)) for event in events],
        "answers": form_answers(dossier.procedure.form_schema, dossier.form_data),
        "documents": asked or document_rows(request, dossier, with_reuse=in_supplement),
        "papers_asked": bool(asked),
        "papers_missing": [row["document"]["name"] for row in asked if row["attachment"] is None],
        "size_limit": size_limit_label(),
        "can_supplement": "supplement" in actions,
        "can_withdraw": "withdraw" in actions,
        "supplement_request": supplement_request if in_supplement else None,
        "note_form": forms.get("note_form") or NoteForm(),
        "rating": _rating_of(dossier),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "can_rate": dossier.status == DossierStatus.COMPLETED,
        "result_state": _result_state(dossier),
        "e_result": selectors.e_result_of(dossier) if rules.result_visible(dossier) else None,
        "fee_way": rules.fee_payment_way(dossier),
        "overdue": selectors.is_overdue(dossier),
        "here": reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk}),
        "panels": page_panels.panels_for(dossier),
        "paper_forms": paperwork.forms_for(dossier, actor_roles(user=request.user, dossier=dossier)),
    }


@login_required
def dossier_detail(request, dossier_id: int):
    dossier = own_dossier(request, dossier_id)
    if dossier.status == DossierStatus.DRAFT:
        return redirect("dossiers:edit", dossier_id=dossier.pk)
    return render_page(request, "detail.html", _detail_context(request, dossier))


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
            # Papers still missing are a message for the whole form, next to the list of papers.
            form.add_error("note" if exc.field in {"note", "reason"} else None, exc.message)
        else:
            messages.success(request, _("Đã gửi hồ sơ bổ sung. Cán bộ sẽ tiếp tục giải quyết."))
            return redirect("dossiers:detail", dossier_id=dossier_id)
    dossier = own_dossier(request, dossier_id)
    return render_page(request, "detail.html", _detail_context(request, dossier, note_form=form))


@login_required
def dossier_withdraw(request, dossier_id: int):
    dossier = own_dossier(request, dossier_id)
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
    return render_page(request, "withdraw.html", {"dossier": dossier, "form": form, "is_draft": is_draft})


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
    dossier = own_dossier(request, dossier_id)
    return render_page(request, "detail.html", _detail_context(request, dossier, rating_form=form))
