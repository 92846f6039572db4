"""The portal's URLs without the postal pages: the office queue must not depend on them."""

from portal.urls import handler400, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [pattern for pattern in portal_urlpatterns if getattr(pattern, "app_name", None) != "postal"]
