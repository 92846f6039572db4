from django.urls import path

from figures.api import views

app_name = "figures-api"

urlpatterns = [
    path("stats/kpis/", views.KpiApi.as_view(), name="kpis"),
    path("stats/service-index/", views.ServiceIndexApi.as_view(), name="service-index"),
    path("stats/service-index/ranking/", views.ServiceIndexRankingApi.as_view(), name="service-index-ranking"),
]
