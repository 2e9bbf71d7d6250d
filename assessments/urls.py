"""URLs of station operations and the biennial assessment."""

from django.urls import path

from .views import records, staff_records

app_name = "assessments"

urlpatterns = [
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
