"""URLs of the rectification pages (included by awards/urls.py)."""

from django.urls import path

from .views import rectification as views

urlpatterns = [
    path("rectifications/", views.order_list, name="rectification_list"),
    path("rectifications/export.xlsx", views.order_list_xlsx, name="rectification_list_xlsx"),
    path("rectifications/new/", views.create, name="rectification_create"),
    path(
        "rectifications/from-cycle/<int:cycle_pk>/",
        views.draft_from_cycle,
        name="rectification_draft_cycle",
    ),
    path("rectifications/<int:pk>/", views.order_detail, name="rectification_detail"),
    path("rectifications/<int:pk>/notice.pdf", views.notice, name="rectification_notice"),
    path("rectifications/<int:pk>/evidence/", views.evidence, name="rectification_evidence"),
    path("rectifications/<int:pk>/issue/", views.issue, name="rectification_issue"),
    path("rectifications/<int:pk>/report/", views.report, name="rectification_report"),
    path("rectifications/<int:pk>/inspect/", views.inspect, name="rectification_inspect"),
    path("rectifications/<int:pk>/revoke/", views.revoke, name="rectification_revoke"),
    path(
        "outcomes/stations/<int:pk>/revoke/",
        views.station_revoke,
        name="rectification_station_revoke",
    ),
]
