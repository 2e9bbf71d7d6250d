from django.urls import include, path

from .views import hub

app_name = "awards"

urlpatterns = [
    path("outcomes/", hub.index, name="index"),
    path("my-outcomes/", hub.mine, name="mine"),
    path("", include("awards.urls_ranking")),
    path("", include("awards.urls_funds")),
    path("", include("awards.urls_rectification")),
    path("", include("awards.urls_nominations")),
]
