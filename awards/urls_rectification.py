"""URLs of the rectification pages (included by awards/urls.py)."""

urlpatterns = []
