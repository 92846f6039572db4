"""Back-office pages for one-stop counter officials: the agency queue, a dossier's page, counter intake."""

app_name = "office"

urlpatterns = []
