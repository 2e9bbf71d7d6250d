from django.urls import path

from .views import applicant, registration, staff

app_name = "stations"

urlpatterns = [
    path("register/", registration.register, name="register"),
    path("unit/", applicant.my_unit, name="my_unit"),
    path("units/<int:pk>/", applicant.unit_detail, name="unit_detail"),
    path("units/<int:pk>/invite/", applicant.invite, name="invite"),
    path("units/<int:pk>/licence/", applicant.licence_download, name="licence"),
    path("stations/<int:pk>/", applicant.station_detail, name="station_detail"),
    path("applications/<int:pk>/", applicant.application_detail, name="application_detail"),
    path("staff/todo/", staff.todo, name="staff_todo"),
    path("staff/stations/", staff.station_list, name="staff_stations"),
]
