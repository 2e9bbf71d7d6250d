"""The xlsx exports of the staff and official lists: the rows are the list's rows with its
filters applied, the headers in Chinese, the file named in Chinese with the date, the list's
permission, and a constant number of queries whatever the number of rows."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards import rectification
from stations.models import Application, StationType
from talentstation.dates import today
from talentstation.roles import Role
from talentstation.spreadsheets import XLSX_CONTENT_TYPE

from . import factories

HEADER_ROW = 3  # the title, the line of the filters, then the headers


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content)).active


def _headers(sheet):
    return [cell.value for cell in sheet[HEADER_ROW]]


def _column(sheet, header):
    index = _headers(sheet).index(header)
    return [row[index] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def _filter_line(sheet):
    return sheet.cell(row=2, column=1).value


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _filename_has(response, name):
    disposition = response["Content-Disposition"]
    assert quote(name) in disposition
    assert f"{today():%Y%m%d}" in disposition


# --- stations ---------------------------------------------------------------------------------


def test_stations_export_is_the_filtered_list(client, official_user):
    unit = factories.HostUnitFactory(name="福州高新区创新科技有限公司")
    for index in range(3):
        factories.live_station(unit, name=f"服务驿站{index}", station_type=StationType.SERVICE)
    factories.live_station(unit, name="产业驿站", station_type=StationType.INDUSTRY)
    factories.StationFactory(name="申报中的服务驿站", station_type=StationType.SERVICE)
    client.force_login(official_user)
    query = "?type=service&status=certified"
    listed = client.get(reverse("stations:staff_stations") + query)
    expected = [station.name for station in listed.context["page"].object_list]
    response = client.get(reverse("stations:staff_stations_xlsx") + query)
    sheet = _sheet(response)
    assert _column(sheet, "驿站名称") == expected == ["服务驿站0", "服务驿站1", "服务驿站2"]
    assert set(_column(sheet, "状态")) == {"已认定"}
    assert set(_column(sheet, "类型")) == {"服务型"}
    assert _column(sheet, "设站单位")[0] == "福州高新区创新科技有限公司"
    assert _column(sheet, "认定日期")[0].date() == datetime.date(2025, 11, 17)
    assert "序号" in _headers(sheet) and "牌匾编号" in _headers(sheet)
    assert "服务型" in _filter_line(sheet) and "已认定" in _filter_line(sheet)
    _filename_has(response, "人才驿站名单")
    assert "export.xlsx" in listed.content.decode()  # the list links to it…
    assert "type=service" in listed.content.decode()  # …with its filters


def test_stations_export_without_filters_says_all(client, staff_user):
    factories.live_station(name="甲驿站")
    client.force_login(staff_user)
    sheet = _sheet(client.get(reverse("stations:staff_stations_xlsx")))
    assert _column(sheet, "驿站名称") == ["甲驿站"]
    assert _filter_line(sheet) == "筛选条件：全部"


def test_an_invalid_filter_goes_back_to_the_list(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("stations:staff_stations_xlsx") + "?type=nonsense")
    assert response.status_code == 302
    assert response["Location"] == reverse("stations:staff_stations") + "?type=nonsense"
    followed = client.get(response["Location"])
    assert followed.status_code == 400
    assert len(list(followed.context["messages"])) == 1  # said once, by the list
    response = client.get(reverse("stations:staff_applications_xlsx") + "?call=abc")
    assert response.status_code == 302
    response = client.get(reverse("assessments:queue_xlsx") + "?year=abc")
    assert response["Location"] == reverse("assessments:queue") + "?year=abc"


# --- applications -----------------------------------------------------------------------------


def _application(call, status=None):
    application = factories.ApplicationFactory(call=call)
    if status:  # test data: the application workflow is tested elsewhere
        Application.objects.filter(pk=application.pk).update(status=status)
    return application


def test_applications_export_is_the_filtered_list(client, official_user):
    call = factories.CallFactory()
    other = factories.CallFactory(year=2025)
    submitted = [_application(call, Application.Status.SUBMITTED) for _ in range(2)]
    _application(call)  # a draft
    _application(other, Application.Status.SUBMITTED)
    client.force_login(official_user)
    query = f"?call={call.pk}&status=submitted"
    listed = client.get(reverse("stations:staff_applications") + query)
    expected = [a.number for a in listed.context["page"].object_list]
    response = client.get(reverse("stations:staff_applications_xlsx") + query)
    sheet = _sheet(response)
    assert _column(sheet, "申报编号") == expected
    assert sorted(expected) == sorted(a.number for a in submitted)
    assert set(_column(sheet, "申报通知")) == {call.title}
    assert call.title in _filter_line(sheet)
    _filename_has(response, "人才驿站申报名单")


# --- log entries (the acceptance queue) ------------------------------------------------------


def test_queue_export_is_the_filtered_list(client, official_user):
    station = factories.live_station(name="活动驿站")
    year = today().year
    for index in range(3):
        factories.ActivityFactory(
            station=station,
            status="accepted",
            date=datetime.date(year, 1, 10 + index),
            title=f"已采纳活动{index}",
        )
    factories.ActivityFactory(station=station, title="待审核活动", date=datetime.date(year, 2, 1))
    factories.ActivityFactory(
        station=station, status="accepted", date=datetime.date(year - 1, 5, 1), title="去年活动"
    )
    client.force_login(official_user)
    query = f"?entry=activity&status=accepted&year={year}"
    listed = client.get(reverse("assessments:queue") + query)
    expected = [entry.title for entry in listed.context["page"].object_list]
    response = client.get(reverse("assessments:queue_xlsx") + query)
    sheet = _sheet(response)
    assert _column(sheet, "活动名称") == expected == ["已采纳活动2", "已采纳活动1", "已采纳活动0"]
    assert set(_column(sheet, "服务人次")) == {20}
    assert str(year) in _filter_line(sheet)
    _filename_has(response, "人才驿站活动台账")
    # without a status the queue shows the entries waiting, and the export says so
    waiting = _sheet(client.get(reverse("assessments:queue_xlsx")))
    assert _column(waiting, "活动名称") == ["待审核活动"]
    assert "待确认" in _filter_line(waiting)


def test_queue_export_of_service_records(client, staff_user):
    station = factories.live_station()
    factories.ServiceRecordFactory(station=station, served="一名返乡博士", person_times=3)
    client.force_login(staff_user)
    sheet = _sheet(client.get(reverse("assessments:queue_xlsx") + "?entry=service"))
    assert _column(sheet, "服务对象") == ["一名返乡博士"]
    assert _column(sheet, "服务人次") == [3]


# --- cycle results ----------------------------------------------------------------------------


def test_results_export_is_the_results_page(client, official_user, staff_user):
    weak = {"场地配备": 0, "人员配备": 9, "制度建设": 9, "开展活动": 18, "人才服务": 0}
    cycle = factories.closed_cycle({"好站": None, "弱站": weak}, staff=staff_user)
    client.force_login(official_user)
    page = client.get(reverse("assessments:cycle_results", args=[cycle.pk]))
    expected = [row.final.station.name for row in page.context["rows"]]
    sheet = _sheet(client.get(reverse("assessments:cycle_results_xlsx", args=[cycle.pk])))
    assert _column(sheet, "驿站名称") == expected == ["好站", "弱站"]
    scores = _column(sheet, "最终得分")
    assert scores[0] > scores[1] and float(scores[1]) == 36
    assert _column(sheet, "低于合格线") == ["否", "是"]
    assert "场地配备" in _headers(sheet)


def test_results_export_of_an_open_cycle_goes_back(client, staff_user):
    cycle = factories.open_cycle(staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("assessments:cycle_results_xlsx", args=[cycle.pk]))
    assert response.status_code == 302


# --- awards and rectification -----------------------------------------------------------------


def test_awards_export_with_money_format(client, official_user, staff_user):
    award = factories.published_award(staff=staff_user)
    client.force_login(official_user)
    response = client.get(reverse("awards:award_list_xlsx"))
    sheet = _sheet(response)
    assert _column(sheet, "驿站名称") == [award.station.name]
    assert _column(sheet, "奖励金额（元）") == [award.amount_due]
    index = _headers(sheet).index("奖励金额（元）")
    assert sheet.cell(row=HEADER_ROW + 1, column=index + 1).number_format == "#,##0.00"
    assert _column(sheet, "状态") == ["待拨付"]
    _filename_has(response, "优秀驿站奖励经费发放及使用情况")
    listed = client.get(reverse("awards:award_list"))
    assert reverse("awards:award_list_xlsx") in listed.content.decode()
    assert reverse("stations:staff_station", args=[award.station.pk]) in listed.content.decode()


def test_rectification_export(client, official_user, staff_user):
    stations = [factories.live_station(staff=staff_user, name=f"整改驿站{i}") for i in range(2)]
    for station in stations:
        rectification.create_order(station, by=staff_user, reason="日常监督", problem="台账缺失")
    client.force_login(official_user)
    listed = client.get(reverse("awards:rectification_list"))
    expected = [order.station.name for order in listed.context["page"].object_list]
    response = client.get(reverse("awards:rectification_list_xlsx"))
    sheet = _sheet(response)
    assert _column(sheet, "驿站名称") == expected
    assert sorted(expected) == ["整改驿站0", "整改驿站1"]
    _filename_has(response, "人才驿站整改情况")


def test_awards_and_orders_are_filtered_by_status_and_cycle(client, official_user, staff_user):
    award = factories.published_award(staff=staff_user)
    cycle = award.entry.ranking.cycle
    station = factories.live_station(staff=staff_user, name="整改驿站")
    order = rectification.create_order(station, by=staff_user, reason="日常监督", problem="缺失")
    client.force_login(official_user)
    due = {"status": "due", "cycle": cycle.pk}
    listed = client.get(reverse("awards:award_list"), due)
    assert [row.award for row in listed.context["rows"]] == [award]
    sheet = _sheet(client.get(reverse("awards:award_list_xlsx"), due))
    assert _column(sheet, "驿站名称") == [award.station.name]
    assert "状态：待拨付" in _filter_line(sheet) and str(cycle) in _filter_line(sheet)
    paid = client.get(reverse("awards:award_list_xlsx"), {"status": "paid"})
    assert _column(_sheet(paid), "驿站名称") == []
    drafts = {"status": order.status}
    assert list(client.get(reverse("awards:rectification_list"), drafts).context["page"]) == [order]
    sheet = _sheet(client.get(reverse("awards:rectification_list_xlsx"), drafts))
    assert _column(sheet, "驿站名称") == ["整改驿站"]
    issued = client.get(reverse("awards:rectification_list_xlsx"), {"status": "issued"})
    assert _column(_sheet(issued), "驿站名称") == []
    # A value that is not a choice: the list says so (400, all rows), the export sends back.
    bad = client.get(reverse("awards:award_list"), {"status": "lost"})
    assert bad.status_code == 400 and [row.award for row in bad.context["rows"]] == [award]
    back = client.get(reverse("awards:rectification_list_xlsx"), {"status": "lost"})
    assert back.status_code == 302
    assert back.url == reverse("awards:rectification_list") + "?status=lost"


# --- permissions ------------------------------------------------------------------------------

EXPORTS = [
    "stations:staff_stations_xlsx",
    "stations:staff_applications_xlsx",
    "assessments:queue_xlsx",
    "awards:award_list_xlsx",
    "awards:rectification_list_xlsx",
]


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT])
def test_others_may_not_export(client, db, name, role):
    unit = factories.HostUnitFactory()
    factories.live_station(unit, name="保密驿站")
    user = factories.applicant_user(unit) if role == Role.APPLICANT else None
    user = user or factories.UserFactory(role=role)
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code in (403, 404)
    assert "保密驿站" not in response.content.decode()


@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_is_sent_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_results_export_permission(client, expert_user, staff_user):
    cycle = factories.closed_cycle({"某站": None}, staff=staff_user)
    client.force_login(expert_user)
    response = client.get(reverse("assessments:cycle_results_xlsx", args=[cycle.pk]))
    assert response.status_code in (403, 404)


# --- constant queries -------------------------------------------------------------------------


def _grow(count, staff):
    unit = factories.HostUnitFactory()
    call = factories.CallFactory()
    for _ in range(count):
        station = factories.live_station(unit, staff=staff, station_type=StationType.SERVICE)
        factories.ActivityFactory(station=station)
        factories.ServiceRecordFactory(station=station)
        _application(call, Application.Status.SUBMITTED)
        rectification.create_order(station, by=staff, reason="日常监督", problem="台账缺失")


@pytest.mark.parametrize(
    "url",
    [
        reverse("stations:staff_stations_xlsx") + "?type=service",
        reverse("stations:staff_applications_xlsx") + "?status=submitted",
        reverse("assessments:queue_xlsx"),
        reverse("assessments:queue_xlsx") + "?entry=service",
        reverse("awards:rectification_list_xlsx"),
    ],
)
def test_exports_read_a_constant_number_of_queries(client, staff_user, url):
    client.force_login(staff_user)
    _grow(2, staff_user)
    client.get(url)  # warm the caches
    few = _queries(client, url)
    _grow(10, staff_user)
    assert _queries(client, url) == few


def test_awards_export_queries_do_not_grow(client, staff_user):
    client.force_login(staff_user)
    cycle = factories.closed_cycle({f"优秀{i}": None for i in range(4)}, staff=staff_user)
    factories.published_award(cycle=cycle, name="优秀0", rank=1)
    url = reverse("awards:award_list_xlsx")
    client.get(url)
    few = _queries(client, url)
    for index in range(1, 4):
        factories.published_award(cycle=cycle, name=f"优秀{index}", rank=index + 1)
    assert _queries(client, url) == few
    assert len(_column(_sheet(client.get(url)), "驿站名称")) == 4
