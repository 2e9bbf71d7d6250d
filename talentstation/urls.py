from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import (
    views,
    views_accounts,
    views_assignments,
    views_dashboard,
    views_front_door,
    views_help,
    views_inbox,
    views_objections,
    views_publicity,
    views_session,
    views_two_factor,
    views_workflow,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views_two_factor.LoginView.as_view(), name="login"),
    path("accounts/login/code/", views_two_factor.verify, name="two_factor_verify"),
    path("accounts/login/cancel/", views_two_factor.cancel, name="two_factor_cancel"),
    path("accounts/two-factor/", views_two_factor.overview, name="two_factor"),
    path("accounts/two-factor/setup/", views_two_factor.setup, name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        views_two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("accounts/two-factor/disable/", views_two_factor.disable, name="two_factor_disable"),
    path(
        "accounts/password_reset/",
        views_accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("session/status/", views_session.session_status, name="session_status"),
    path("session/keep-alive/", views_session.keep_alive, name="session_keep_alive"),
    path("session/restore/", views_session.restore_form, name="session_restore"),
    path(
        "transition/<str:model_label>/<int:pk>/<str:name>/",
        views_workflow.run_transition,
        name="run_transition",
    ),
    path("inbox/", views_inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/", views_inbox.open_notification, name="inbox_open"),
    path("inbox/read-all/", views_inbox.mark_all_read, name="inbox_mark_all_read"),
    path("publicity/", views_publicity.publicity_list, name="publicity_list"),
    path("publicity/<int:pk>/", views_publicity.publicity_detail, name="publicity_detail"),
    path(
        "publicity/<int:pk>/notice.pdf",
        views_publicity.publicity_notice_pdf,
        name="publicity_notice_pdf",
    ),
    path(
        "objections/<int:pk>/evidence/",
        views_objections.objection_evidence,
        name="objection_evidence",
    ),
    path("policy/", views_front_door.policy_page, name="policy_text"),
    path("policy/<int:pk>/", views_front_door.policy_page, name="policy_document"),
    path("policy/annexes/<int:pk>/", views_front_door.policy_annex, name="policy_annex"),
    path("guide/", views_front_door.service_guide, name="service_guide"),
    path("staff/help/workflows/", views_help.workflows, name="workflow_help"),
    path("visit-photos/<int:pk>/", views_assignments.visit_photo, name="visit_photo"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    path("", include("stations.urls")),
    path("", include("assessments.urls")),
    path("", include("awards.urls")),
    path("dashboard/", views_dashboard.overview, name="dashboard"),
    path("dashboard/<slug:key>.xlsx", views_dashboard.panel_xlsx, name="dashboard_xlsx"),
]

handler403 = "talentstation.views.permission_denied"
