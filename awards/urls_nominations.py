"""URLs of the nominations pages (included by awards/urls.py)."""

urlpatterns = []
