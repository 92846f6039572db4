from django.urls import path

from postal import views

app_name = "postal"

urlpatterns = [
    path("shipments/", views.shipments, name="shipments"),
]
