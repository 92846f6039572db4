"""The simulator's checkout page: the payer picks a method and an outcome, then goes back to the portal."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from payments.constants import PaymentMethod
from payments.providers.mockpay import simulator
from payments.providers.mockpay.models import GatewayStatus, GatewayTransaction


@require_http_methods(["GET", "POST"])
def checkout(request, ref):
    # The unguessable reference is the session: a gateway page has no portal login.
    tx = GatewayTransaction.objects.filter(ref=ref).first()
    if tx is None:
        raise Http404
    error = ""
    if request.method == "POST":
        outcome, method = request.POST.get("outcome", ""), request.POST.get("method", "")
        if outcome in simulator.OUTCOMES and method in PaymentMethod.values:
            tx = simulator.gateway_complete(ref=ref, outcome=outcome, method=method)
            return redirect(tx.return_url)
        error = _("Chọn phương thức thanh toán.")
    context = {
        "tx": tx,
        "open": tx.effective_status() == GatewayStatus.PENDING,
        "status_label": GatewayStatus(tx.effective_status()).label,
        "methods": PaymentMethod.choices,
        "error": error,
    }
    return render(request, "mockpay/checkout.html", context)
