"""URLs of station operations and the biennial assessment."""

app_name = "assessments"

urlpatterns = []
