"""URLs of station operations and the biennial assessment."""

from django.urls import path

from .urls_board import urlpatterns as board_urlpatterns
from .urls_cycles import urlpatterns as cycle_urlpatterns
from .views import compliance, records, staff_queue, staff_records, station_log

app_name = "assessments"

urlpatterns = [
    # Station operations 「驿站运营」: the station's log, its import, staff's queue, compliance.
    path("operations/", station_log.my_operations, name="my_operations"),
    path(
        "operations/stations/<int:pk>/",
        station_log.station_operations,
        name="station_operations",
    ),
    path(
        "operations/stations/<int:pk>/services/",
        station_log.station_services,
        name="station_services",
    ),
    path(
        "operations/stations/<int:pk>/activities/add/",
        station_log.activity_add,
        name="activity_add",
    ),
    path("operations/stations/<int:pk>/services/add/", station_log.service_add, name="service_add"),
    path(
        "operations/stations/<int:pk>/import/",
        station_log.activity_import,
        name="activity_import",
    ),
    path(
        "operations/stations/<int:pk>/import/confirm/",
        station_log.activity_import_confirm,
        name="activity_import_confirm",
    ),
    path(
        "operations/stations/<int:pk>/import/template.xlsx",
        station_log.activity_import_template,
        name="activity_import_template",
    ),
    path("operations/activities/<int:pk>/", station_log.activity_detail, name="activity_detail"),
    path("operations/activities/<int:pk>/edit/", station_log.activity_edit, name="activity_edit"),
    path(
        "operations/activities/<int:pk>/correct/",
        staff_queue.activity_correct,
        name="activity_correct",
    ),
    path("operations/files/<int:pk>/", station_log.activity_file, name="activity_file"),
    path(
        "operations/files/<int:pk>/delete/",
        station_log.activity_file_delete,
        name="activity_file_delete",
    ),
    path("operations/services/<int:pk>/", station_log.service_detail, name="service_detail"),
    path("operations/services/<int:pk>/edit/", station_log.service_edit, name="service_edit"),
    path(
        "operations/services/<int:pk>/correct/",
        staff_queue.service_correct,
        name="service_correct",
    ),
    path("operations/queue/", staff_queue.queue, name="queue"),
    path("operations/queue/export.xlsx", staff_queue.queue_xlsx, name="queue_xlsx"),
    path("operations/compliance/", compliance.district, name="compliance"),
    # Station records: the profile, talent referrals, plans and summaries.
    path("stations/<int:pk>/profile/", records.station_profile, name="station_profile"),
    path("stations/<int:pk>/profile/edit/", records.profile_edit, name="profile_edit"),
    path(
        "stations/<int:pk>/profile/<str:rule>/document/",
        records.profile_document,
        name="profile_document",
    ),
    path("stations/<int:pk>/referrals/", records.station_referrals, name="station_referrals"),
    path("stations/<int:pk>/referrals/add/", records.referral_add, name="referral_add"),
    path(
        "stations/<int:pk>/referrals/<int:referral_pk>/edit/",
        records.referral_edit,
        name="referral_edit",
    ),
    path(
        "stations/<int:pk>/referrals/<int:referral_pk>/evidence/",
        records.referral_evidence,
        name="referral_evidence",
    ),
    path("stations/<int:pk>/reports/", records.station_reports, name="station_reports"),
    path(
        "stations/<int:pk>/reports/<int:year>/<str:kind>/",
        records.report_file,
        name="report_file",
    ),
    path("reports/<int:report_pk>/", records.report_detail, name="report_detail"),
    path("reports/<int:report_pk>/document/", records.report_document, name="report_document"),
    path("staff/reports/", staff_records.staff_reports, name="staff_reports"),
    path("staff/referrals/", staff_records.staff_referrals, name="staff_referrals"),
]

urlpatterns += board_urlpatterns + cycle_urlpatterns
