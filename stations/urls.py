from django.urls import path

from .views import applicant, applications, expert, public, registration, staff, staff_station

app_name = "stations"

urlpatterns = [
    path("register/", registration.register, name="register"),
    path("calls/", public.call_list, name="call_list"),
    path("directory/", public.directory, name="directory"),
    path("directory/<int:pk>/", public.directory_station, name="directory_station"),
    path("verify/<str:plaque_number>/", public.verify_plaque, name="verify_plaque"),
    path("stations/<int:pk>/certificate.pdf", applicant.certificate, name="certificate"),
    path("calls/<int:pk>/", public.call_detail, name="call_detail"),
    path("calls/<int:pk>/documents/<int:document_pk>/", public.call_document, name="call_document"),
    path("unit/", applicant.my_unit, name="my_unit"),
    path("units/<int:pk>/", applicant.unit_detail, name="unit_detail"),
    path("units/<int:pk>/invite/", applicant.invite, name="invite"),
    path("units/<int:pk>/members/<int:member_pk>/", applicant.change_member, name="change_member"),
    path("units/<int:pk>/licence/", applicant.licence_download, name="licence"),
    path("stations/<int:pk>/", applicant.station_detail, name="station_detail"),
    path("calls/<int:call_pk>/apply/", applications.start, name="application_start"),
    path("applications/<int:pk>/", applications.detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applications.edit, name="application_edit"),
    path("applications/<int:pk>/annex1.pdf", applications.pdf, name="application_pdf"),
    path(
        "applications/<int:pk>/attachments/",
        applications.upload_attachment,
        name="attachment_upload",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        applications.download_attachment,
        name="attachment_download",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/delete/",
        applications.delete_attachment,
        name="attachment_delete",
    ),
    path(
        "applications/<int:pk>/stamped-scan/",
        applications.upload_stamped_scan,
        name="stamped_scan_upload",
    ),
    path("expert/", expert.assignments, name="expert_assignments"),
    path("expert/affiliations/", expert.affiliations, name="expert_affiliations"),
    path(
        "expert/affiliations/<int:pk>/remove/",
        expert.remove_affiliation,
        name="expert_affiliation_remove",
    ),
    path("expert/assignments/<int:pk>/", expert.assignment, name="expert_assignment"),
    path("expert/assignments/<int:pk>/declare/", expert.declare, name="expert_declare"),
    path("expert/assignments/<int:pk>/visit/", expert.visit, name="expert_visit"),
    path("expert/assignments/<int:pk>/score/", expert.score, name="expert_score"),
    path("meetings/<int:pk>/minutes/", staff.meeting_minutes, name="meeting_minutes"),
    path("staff/todo/", staff.todo, name="staff_todo"),
    path("staff/stations/", staff.station_list, name="staff_stations"),
    path("staff/stations/<int:pk>/", staff_station.staff_station, name="staff_station"),
    path("staff/stations/export.xlsx", staff.station_list_xlsx, name="staff_stations_xlsx"),
    path(
        "staff/applications/export.xlsx",
        staff.application_list_xlsx,
        name="staff_applications_xlsx",
    ),
    path("staff/applications/", staff.application_list, name="staff_applications"),
    path("staff/applications/<int:pk>/", staff.application_review, name="staff_application"),
    path(
        "staff/applications/<int:pk>/experts/",
        staff.assign_expert,
        name="staff_assign_expert",
    ),
    path(
        "staff/applications/<int:pk>/decision/",
        staff.record_decision,
        name="staff_record_decision",
    ),
]
