from django.urls import path

from postal.api import views

app_name = "postal-api"

urlpatterns = [
    path("dossiers/<int:dossier_id>/shipments/", views.DossierShipmentsApi.as_view(), name="dossier-shipments"),
    path("postal/webhook/", views.PostalWebhookApi.as_view(), name="webhook"),
    path("postal/pickups/", views.PickupCreateApi.as_view(), name="pickups"),
    path("postal/pickups/arrivals/", views.PickupArrivalApi.as_view(), name="pickup-arrivals"),
]
