"""URLs of the assessment cycles, scoring and self-assessment (included by ``urls.py``)."""

from django.urls import path

from .views import cycles, scoring, self_assessment

urlpatterns = [
    # Staff and officials
    path("cycles/", cycles.cycle_list, name="cycle_list"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/refresh/", cycles.cycle_refresh, name="cycle_refresh"),
    path("cycles/<int:pk>/results/", cycles.cycle_results, name="cycle_results"),
    path("assessments/<int:pk>/", cycles.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/assign/", cycles.assessment_assign, name="assessment_assign"),
    path("assessments/<int:pk>/correct/", cycles.assessment_correct, name="assessment_correct"),
    # Scorers
    path("assessment-sheets/", scoring.assessment_sheets, name="assessment_sheets"),
    path("assessments/<int:pk>/score/", scoring.assessment_score, name="assessment_score"),
    path("assessments/<int:pk>/declare/", scoring.assessment_declare, name="assessment_declare"),
    # The station's users
    path("self-assessments/", self_assessment.self_assessment_list, name="self_assessment_list"),
    path(
        "assessments/<int:pk>/self-assessment/",
        self_assessment.self_assessment_detail,
        name="self_assessment_detail",
    ),
    path(
        "assessments/<int:pk>/self-assessment/edit/",
        self_assessment.self_assessment_edit,
        name="self_assessment_edit",
    ),
    path(
        "assessments/<int:pk>/self-assessment/attachment/",
        self_assessment.self_assessment_attachment,
        name="self_assessment_attachment",
    ),
]
