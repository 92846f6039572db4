from django.urls import path

from procedures.api import views

urlpatterns = [
    path("procedures/", views.ProcedureListApi.as_view(), name="api-procedure-list"),
    # `str` takes dots, which national procedure codes contain (1.001193).
    path("procedures/<str:code>/", views.ProcedureDetailApi.as_view(), name="api-procedure-detail"),
    path("agencies/", views.AgencyListApi.as_view(), name="api-agency-list"),
    path("fields/", views.FieldListApi.as_view(), name="api-field-list"),
]
