from django.urls import path

from postal import views

app_name = "postal"

urlpatterns = [
    path("shipments/", views.shipments, name="shipments"),
    path("pickups/", views.pickups, name="pickups"),
    path("pickups/new/<str:code>/", views.pickup_new, name="pickup-new"),
    path("pickups/<str:tracking_number>/register/", views.pickup_register, name="pickup-register"),
]
