from django.urls import path

from payments.providers.mockpay import views

app_name = "mockpay"

urlpatterns = [
    path("pay/<str:ref>/", views.checkout, name="pay"),
]
