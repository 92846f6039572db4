from django.urls import path

from trainer import views

app_name = "trainer"

urlpatterns = [
    path("", views.console, name="console"),
    path("reset/", views.reset, name="reset"),
    path("scenarios/<slug:key>/", views.scenario, name="scenario"),
    path("clock/", views.move_clock, name="clock"),
    path("sign-in-as/<int:user_id>/", views.sign_in_as, name="sign_in_as"),
    path("sign-back/", views.sign_back, name="sign_back"),
]
