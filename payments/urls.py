from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("dossier/<int:dossier_id>/", views.dossier_pay, name="pay"),
    path("<uuid:payment_id>/result/", views.payment_result, name="result"),
    path("<uuid:payment_id>/receipt/", views.payment_receipt, name="receipt"),
    path("verify/<str:token>/", views.receipt_verify, name="verify"),
    path("office/", views.office_desk, name="office"),
]
