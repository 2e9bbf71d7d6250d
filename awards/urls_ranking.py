"""URLs of the ranking pages (included by awards/urls.py)."""

urlpatterns = []
