"""Citizen pages: my dossiers, the submission wizard, a dossier's page, notices, the public lookup."""

app_name = "dossiers"

urlpatterns = []
