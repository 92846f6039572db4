from django.urls import path

from procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    # `str` takes dots, which national procedure codes contain (1.001193).
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/forms/<int:template_id>/", views.form_template_download, name="form-template"),
]
