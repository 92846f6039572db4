from django.urls import path

from payments.api import views

app_name = "payments-api"

urlpatterns = [
    path("dossiers/<int:dossier_id>/payments/", views.DossierPaymentsApi.as_view(), name="dossier-payments"),
    path("payments/callback/", views.PaymentCallbackApi.as_view(), name="callback"),
    path("payments/<uuid:payment_id>/", views.PaymentDetailApi.as_view(), name="detail"),
    path("payments/<uuid:payment_id>/receipt/", views.PaymentReceiptApi.as_view(), name="receipt"),
]
