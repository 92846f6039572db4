from django.urls import path

from figures import views

app_name = "figures"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:key>.<slug:fmt>", views.export, name="export"),
]
