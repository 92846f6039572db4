app_name = "figures-api"

urlpatterns: list = []
