"""The site-wide admin action 「导出为 Excel」: every admin list offers it; an export opens with
openpyxl and has the list's column labels as headers and one row per selected object (select
all: the filtered list); only bureau staff."""

import io

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from stations.models import Station
from talentstation.admin_export import ACTION_NAME
from talentstation.roles import Role

from . import factories


@pytest.fixture
def staff(db):
    return factories.UserFactory(role=Role.STAFF, is_staff=True)


def test_every_model_admin_offers_the_export(staff):
    request = RequestFactory().get("/admin/")
    request.user = staff
    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_view_permission(request)
        and ACTION_NAME not in model_admin.get_actions(request)
    ]
    assert missing == []


def test_export_of_the_station_list(client, staff):
    stations = [factories.live_station(staff=staff, name=f"导出驿站{n}") for n in range(3)]
    client.force_login(staff)
    url = reverse("admin:stations_station_changelist")
    response = client.post(
        url,
        {"action": ACTION_NAME, ACTION_CHECKBOX_NAME: [s.pk for s in stations[:2]], "index": 0},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    model_admin = admin.site._registry[Station]
    request = RequestFactory().get(url)
    request.user = staff
    from django.contrib.admin.utils import label_for_field

    expected = [
        str(label_for_field(name, Station, model_admin))
        for name in model_admin.get_list_display(request)
    ]
    with translation.override("zh-hans"):
        assert sheet["A1"].value == str(Station._meta.verbose_name_plural)
    headers = [c.value for c in sheet[2]]
    assert len(headers) == len(expected)
    assert "驿站名称" in headers
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 2
    names = {value for row in rows for value in row}
    assert {"导出驿站0", "导出驿站1"} <= names and "导出驿站2" not in names
    assert "已认定" in names  # the status as displayed, in Chinese


def test_select_all_exports_the_filtered_list(client, staff):
    for n in range(3):
        factories.live_station(staff=staff, name=f"甲驿站{n}")
    factories.StationFactory(name="申报中驿站")
    client.force_login(staff)
    url = reverse("admin:stations_station_changelist") + "?status__exact=certified"
    response = client.post(
        url,
        {"action": ACTION_NAME, ACTION_CHECKBOX_NAME: ["0"], "select_across": "1", "index": 0},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row - 2 == 3


def test_only_staff_export(client, db):
    official = factories.UserFactory(role=Role.OFFICIAL, is_staff=True)
    client.force_login(official)
    response = client.post(
        reverse("admin:stations_station_changelist"), {"action": ACTION_NAME, "index": 0}
    )
    assert response.status_code == 302  # to the admin login: officials do not use the admin
