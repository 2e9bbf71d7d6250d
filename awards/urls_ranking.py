"""URLs of the ranking pages (included by awards/urls.py)."""

from django.urls import path

from .views import ranking

urlpatterns = [
    path("cycles/<int:cycle_pk>/ranking/", ranking.ranking_for_cycle, name="ranking_for_cycle"),
    path("cycles/<int:cycle_pk>/ranking/compute/", ranking.ranking_compute, name="ranking_compute"),
    path("rankings/<int:pk>/", ranking.ranking_detail, name="ranking_detail"),
    path("rankings/<int:pk>/propose/", ranking.ranking_propose, name="ranking_propose"),
    path("rankings/<int:pk>/approve/", ranking.ranking_approve, name="ranking_approve"),
    path("rankings/<int:pk>/recompute/", ranking.ranking_recompute, name="ranking_recompute"),
    path("rankings/<int:pk>/ties/<int:entry_pk>/", ranking.ranking_tie, name="ranking_tie"),
    path("rankings/<int:pk>/publicity/", ranking.ranking_publicity, name="ranking_publicity"),
    path("rankings/<int:pk>/notice.pdf", ranking.results_notice, name="results_notice"),
    path("ranking-entries/<int:pk>/certificate.pdf", ranking.certificate, name="certificate"),
]
