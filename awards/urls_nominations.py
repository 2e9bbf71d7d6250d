"""URLs of the nominations pages (included by awards/urls.py)."""

from django.urls import path

from .views import nominations as views


def _downloads(route, view, name):
    """The xlsx and the PDF of one Annex 3 list: ``name_xlsx`` and ``name_pdf``."""
    return [
        path(f"{route}.{fmt}", view, {"fmt": fmt}, name=f"{name}_{fmt}") for fmt in ("xlsx", "pdf")
    ]


urlpatterns = [
    path("nominations/", views.batch_list, name="nomination_list"),
    path("nominations/new/", views.batch_create, name="nomination_batch_create"),
    path("nominations/<int:pk>/", views.batch_detail, name="nomination_batch"),
    path("nominations/<int:pk>/add/", views.nomination_add, name="nomination_add"),
    *_downloads("nominations/<int:pk>/annex3", views.batch_annex3, "nomination_annex3"),
    path("nominations/entry/<int:pk>/", views.nomination_edit, name="nomination_edit"),
    path("nominations/entry/<int:pk>/remove/", views.nomination_remove, name="nomination_remove"),
    path(
        "nominations/entry/<int:pk>/outcome/", views.nomination_outcome, name="nomination_outcome"
    ),
    path("annex3/", views.annex3_lists, name="annex3_lists"),
    *_downloads("annex3/applicants", views.applicants_annex3, "annex3_applicants"),
    *_downloads("annex3/stations", views.stations_annex3, "annex3_stations"),
]
