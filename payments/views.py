"""Portal pages for payments: the pay page, the gateway's return page, receipt verification, the staff desk."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

import portal.clock as clock
from dossiers.charges import dossier_fee_breakdown
from dossiers.selectors import dossier_for_user
from payments import selectors, services
from payments.constants import PaymentStatus
from payments.providers.base import ProviderError
from payments.receipts import receipt_number_from_token, receipt_pdf, verification_url
from portal.accounts.constants import Role
from portal.errors import NotFoundError, ServiceError


def _or_404(read, **kwargs):
    try:
        return read(**kwargs)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def dossier_pay(request, dossier_id):
    """The fee breakdown and the pay button; the dossier's payments (and refunds) below."""
    dossier = _or_404(dossier_for_user, dossier_id=dossier_id, user=request.user)
    if dossier.applicant_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        try:
            payment = services.payment_start(dossier_id=dossier.pk, user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("payments:pay", dossier_id=dossier.pk)
        return redirect(payment.pay_url)
    context = {
        "dossier": dossier,
        "breakdown": dossier_fee_breakdown(dossier),
        "owed": dossier.amount_due - dossier.amount_paid,
        "payments": selectors.payments_of_dossier(dossier_id=dossier.pk, user=request.user),
    }
    return render(request, "payments/pay.html", context)


@login_required
def payment_result(request, payment_id):
    """Where the gateway sends the payer back. It asks the gateway itself rather than trust the redirect."""
    payment = _or_404(selectors.payment_for_user, public_id=payment_id, user=request.user)
    try:
        payment = services.payment_sync(payment_id=payment.pk)
    except ProviderError:
        messages.warning(request, _("Chưa hỏi được cổng thanh toán; trạng thái sẽ được cập nhật sau ít phút."))
    payment = _or_404(selectors.payment_for_user, public_id=payment_id, user=request.user)
    return render(
        request, "payments/result.html", {"payment": payment, "payable": payment.status != PaymentStatus.SUCCEEDED}
    )


@login_required
def payment_receipt(request, payment_id):
    payment = _or_404(selectors.payment_for_user, public_id=payment_id, user=request.user)
    if not payment.receipt_number:
        raise Http404
    pdf = receipt_pdf(payment, verify_url=verification_url(payment, request=request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.receipt_number}.pdf"'
    return response


def receipt_verify(request, token):
    """Public: is this receipt genuine? Shows the receipt's facts, never the payer."""
    number = receipt_number_from_token(token)
    payment = selectors.payment_by_receipt_number(receipt_number=number) if number else None
    return render(request, "payments/verify.html", {"payment": payment}, status=200 if payment else 404)


def _is_payment_staff(user) -> bool:
    return user.is_staff or user.staff_roles.filter(role__in=[Role.ADMIN, Role.LEADER]).exists()


@login_required
def office_desk(request):
    """Staff: the reconciliation of a day, refunds still open or failing, alerts."""
    if not _is_payment_staff(request.user):
        raise PermissionDenied
    day, error = clock.localdate(), ""
    if request.GET.get("date"):
        try:
            day = date.fromisoformat(request.GET["date"])
        except ValueError:
            error = _("Ngày không hợp lệ, dùng dạng YYYY-MM-DD.")
    context = {
        "day": day,
        "date_error": error,
        "mismatches": [] if error else services.reconcile(day=day),
        "refunds": selectors.payments_needing_attention()[:100],
        "alerts": selectors.open_alerts()[:100],
    }
    return render(request, "payments/office.html", context)
