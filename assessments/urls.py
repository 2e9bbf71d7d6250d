"""URLs of station operations and the biennial assessment."""

from .urls_cycles import urlpatterns as cycle_urlpatterns

app_name = "assessments"

urlpatterns = []

urlpatterns += cycle_urlpatterns
