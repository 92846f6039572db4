from django.urls import path

from postal.providers.mockpost import views

app_name = "mockpost"

urlpatterns = [
    path("", views.handheld, name="handheld"),
    path("<str:tracking_number>/", views.handheld, name="parcel"),
]
