"""A station imports its activities from the portal's xlsx template: preview then confirm,
all or nothing, per-row errors in Chinese naming the row, activities arrive waiting."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments.models import Activity
from assessments.resources import COLUMNS
from talentstation.models import TransitionLog

from . import factories

GOOD = [
    "2026-03-10",
    "专家交流会",
    "交流对接",
    "线下",
    "驿站会议室",
    "福州大学",
    35,
    6,
    "交流对接。",
]
ONLINE = ["2026/4/18", "政策线上宣讲", "咨询服务", "线上", "腾讯会议", "", "60", "", "答疑。"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        yield


@pytest.fixture
def station(db):
    return factories.live_station()


@pytest.fixture
def keeper(station):
    return factories.applicant_user(station.host_unit)


def xlsx(*rows, headers=None):
    book = Workbook()
    sheet = book.active
    sheet.append(headers or [column.header for column in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("活动.xlsx", buffer.getvalue())


def upload(client, station, file):
    return client.post(reverse("assessments:activity_import", args=[station.pk]), {"file": file})


def test_the_template_has_the_columns(client, station, keeper):
    client.force_login(keeper)
    response = client.get(reverse("assessments:activity_import_template", args=[station.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]


def test_preview_then_confirm_imports_every_row_waiting(client, station, keeper):
    client.force_login(keeper)
    response = upload(client, station, xlsx(GOOD, ONLINE, [None] * 9))
    assert response.status_code == 200
    assert "可导入2场活动" in response.content.decode()
    assert not Activity.objects.exists()  # the preview saves nothing
    token = response.context["preview"].token
    url = reverse("assessments:activity_import_confirm", args=[station.pk])
    response = client.post(url, {"token": token})
    assert response.status_code == 302
    activities = list(station.activities.order_by("date"))
    assert [a.title for a in activities] == ["专家交流会", "政策线上宣讲"]
    assert {a.status for a in activities} == {Activity.Status.SUBMITTED}
    assert activities[1].mode == "online" and activities[1].high_level_talents == 0
    log = TransitionLog.objects.for_object(activities[0]).get()
    assert log.transition == "record" and "活动.xlsx" in log.reason and log.actor == keeper
    # The token is spent: confirming again imports nothing more.
    client.post(url, {"token": token})
    assert station.activities.count() == 2


def test_a_bad_row_imports_nothing_and_names_the_row(client, station, keeper):
    client.force_login(keeper)
    bad = ["2026-03-32", "沙龙", "联谊会", "线下", "", "", "0", "", ""]
    response = upload(client, station, xlsx(GOOD, bad, ONLINE))
    body = response.content.decode()
    assert response.status_code == 400
    assert "第3行" in body  # the header is row 1, the bad data row is row 3
    assert "不是日期" in body and "无法识别的活动类型" in body and "服务人次" in body
    errors = response.context["preview"].errors
    assert [row for row, _messages in errors] == [3], errors
    assert 'name="token"' not in body
    assert not Activity.objects.exists()


def test_a_row_the_model_refuses_names_the_column(client, station, keeper):
    client.force_login(keeper)
    row = [*GOOD[:6], 5, 9, "x"]  # more high-level talents than person-times
    response = upload(client, station, xlsx(row))
    body = response.content.decode()
    assert response.status_code == 400 and "第2行" in body and "其中高层次人才人次" in body
    future = ["2026-06-16", *GOOD[1:]]
    assert "晚于今天" in upload(client, station, xlsx(future)).content.decode()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("a.csv", b"x,y"), "请选择Excel文件"),
        (SimpleUploadedFile("a.xlsx", b"not a zip"), "不是Excel"),
        (SimpleUploadedFile("a.xlsx", b"PK\x03\x04broken"), "无法按Excel"),
    ],
)
def test_a_file_that_is_not_a_good_xlsx_is_a_clear_400(client, station, keeper, file, message):
    client.force_login(keeper)
    response = upload(client, station, file)
    assert response.status_code == 400 and message in response.content.decode()


def test_missing_columns_and_empty_files_are_explained(client, station, keeper):
    client.force_login(keeper)
    response = upload(client, station, xlsx(GOOD[:2], headers=["活动日期", "活动名称"]))
    assert response.status_code == 400 and "文件缺少" in response.content.decode()
    response = upload(client, station, xlsx())
    assert response.status_code == 400 and "没有活动数据行" in response.content.decode()


def test_a_forged_or_foreign_token_imports_nothing(client, station, keeper):
    client.force_login(keeper)
    token = upload(client, station, xlsx(GOOD)).context["preview"].token
    other = factories.live_station()
    stranger = factories.applicant_user(other.host_unit)
    client.force_login(stranger)
    url = reverse("assessments:activity_import_confirm", args=[other.pk])
    client.post(url, {"token": token})  # the token names the other station and user
    client.post(url, {"token": "forged"})
    assert not Activity.objects.exists()
    client.force_login(keeper)
    assert (
        client.post(
            reverse("assessments:activity_import_confirm", args=[other.pk]), {"token": token}
        ).status_code
        == 404
    )


def test_only_the_station_users_of_a_live_station_import(client, station, keeper, staff_user):
    url = reverse("assessments:activity_import", args=[station.pk])
    client.force_login(staff_user)
    assert client.get(url).status_code == 403
    client.force_login(factories.applicant_user(factories.HostUnitFactory()))
    assert client.get(url).status_code == 404
    applying = factories.StationFactory(host_unit=station.host_unit)
    client.force_login(keeper)
    response = client.get(reverse("assessments:activity_import", args=[applying.pk]))
    assert response.status_code == 403
