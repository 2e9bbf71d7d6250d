"""URLs of the funds pages (included by awards/urls.py)."""

urlpatterns = []
