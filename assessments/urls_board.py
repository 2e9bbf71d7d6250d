"""URLs of the cycle board, the results and the Annex 2 downloads (included by ``urls.py``)."""

from django.urls import path

from .views import board, documents, results

urlpatterns = [
    path("cycles/board/", board.current_board, name="cycle_board_current"),
    path("cycles/<int:pk>/board/", board.cycle_board, name="cycle_board"),
    path("cycles/<int:pk>/results/", results.cycle_results, name="cycle_results"),
    path(
        "cycles/<int:pk>/results/export.xlsx",
        results.cycle_results_xlsx,
        name="cycle_results_xlsx",
    ),
    path("cycles/<int:pk>/annex2.pdf", documents.cycle_annex2, name="cycle_annex2"),
    path("cycles/<int:pk>/results.xlsx", documents.cycle_annex2_xlsx, name="cycle_annex2_xlsx"),
    path("assessments/<int:pk>/annex2.pdf", documents.assessment_annex2, name="assessment_annex2"),
]
