"""数据概览 (the dashboard of officials and staff): its numbers against a data set built here,
with the expected numbers computed in plain Python from what was built; a constant number of
queries at 10 and 500 stations; the filters; the xlsx of each panel; who may see it."""

import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Activity, ServiceRecord
from awards import funds
from awards.models import RectificationOrder, UsageLine, UsageReport
from stations.models import Application, Station, StationType
from talentstation import dashboard
from talentstation.dates import SHANGHAI
from talentstation.models import Objection, PolicyVersion, Publicity
from talentstation.roles import Role

from . import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
YEAR = 2026
BEST = {"场地配备": 15, "人员配备": 15, "制度建设": 15, "开展活动": 30, "人才服务": 25}
CYCLE_POINTS = {
    "甲驿站": None,  # 100
    "乙驿站": {"开展活动": 18},  # 88
    "丙驿站": {"开展活动": 0, "人才服务": 0},  # 45
    "丁驿站": {"开展活动": 18, "人才服务": 15},  # 78
    "戊驿站": {"开展活动": 18, "人才服务": 15, "人员配备": 9, "制度建设": 9},  # 66
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def charts(filters):
    return {panel.key: chart for panel, chart in dashboard.build_charts(filters)}


def by_label(chart, series=0):
    return dict(
        zip([str(label) for label in chart.labels], chart.series[series].values, strict=True)
    )


@pytest.fixture
def world(staff_user):
    """Stations of every type and status, a call with applications, activities and services
    over two years, a closed cycle with its scores, awards, rectifications and objections."""
    staff = staff_user
    cycle = factories.closed_cycle(CYCLE_POINTS, staff=staff, first_year=2024)
    stations = list(cycle.stations_by_name.values())  # industry, certified 2023-06-01
    specs = [
        ("industry", Station.Status.CERTIFIED, datetime.date(2025, 3, 1)),
        ("service", Station.Status.CERTIFIED, datetime.date(2026, 2, 1)),
        ("service", Station.Status.RECTIFYING, datetime.date(2024, 5, 1)),
        ("entrepreneurship", Station.Status.REVOKED, datetime.date(2024, 1, 10)),
        ("comprehensive", Station.Status.APPLYING, None),
        ("comprehensive", Station.Status.CERTIFIED, datetime.date(2026, 11, 2)),
    ]
    for station_type, status, certified_on in specs:
        stations.append(
            factories.StationFactory(
                station_type=station_type, status=status, certified_on=certified_on
            )
        )
    industry_a, service_b, service_c = stations[5], stations[6], stations[7]

    call = factories.CallFactory(year=YEAR)
    application_specs = [
        (Application.Status.SUBMITTED, "industry"),
        (Application.Status.SUBMITTED, "service"),
        (Application.Status.ACCEPTED, "industry"),
        (Application.Status.CERTIFIED, "service"),
        (Application.Status.DRAFT, "industry"),
    ]
    applications = [
        factories.ApplicationFactory(call=call, status=status, station_type=station_type)
        for status, station_type in application_specs
    ]
    factories.ApplicationFactory(
        call=factories.CallFactory(year=YEAR - 1), status=Application.Status.SUBMITTED
    )  # another year's call

    accepted = Activity.Status.ACCEPTED
    activity_specs = [  # station, date, person-times, status
        (industry_a, datetime.date(2026, 1, 15), 20, accepted),
        (industry_a, datetime.date(2026, 1, 28), 15, accepted),
        (industry_a, datetime.date(2026, 3, 3), 12, accepted),
        (industry_a, datetime.date(2026, 6, 30), 8, accepted),
        (industry_a, datetime.date(2026, 11, 30), 9, accepted),
        (industry_a, datetime.date(2026, 7, 1), 99, Activity.Status.SUBMITTED),
        (industry_a, datetime.date(2026, 8, 1), 77, Activity.Status.REJECTED),
        (industry_a, datetime.date(2025, 1, 20), 30, accepted),
        (industry_a, datetime.date(2025, 12, 31), 11, accepted),
        (industry_a, datetime.date(2024, 12, 31), 50, accepted),  # two years back
        (service_b, datetime.date(2026, 3, 10), 14, accepted),
        (service_b, datetime.date(2026, 5, 10), 14, accepted),
        (service_b, datetime.date(2026, 9, 10), 12, accepted),
        (service_c, datetime.date(2026, 3, 1), 5, accepted),
        (service_c, datetime.date(2025, 3, 1), 6, accepted),
    ]
    for station, day, person_times, status in activity_specs:
        factories.ActivityFactory(
            station=station,
            date=day,
            person_times=person_times,
            high_level_talents=0,
            status=status,
        )
    service_specs = [
        (industry_a, datetime.date(2026, 1, 5), 3, accepted),
        (service_b, datetime.date(2026, 9, 1), 2, accepted),
        (service_b, datetime.date(2025, 9, 1), 4, accepted),
        (service_b, datetime.date(2026, 10, 1), 40, ServiceRecord.Status.SUBMITTED),
    ]
    for station, day, person_times, status in service_specs:
        factories.ServiceRecordFactory(
            station=station, date=day, person_times=person_times, status=status
        )

    names = cycle.stations_by_name
    award_specs = [  # station name, rank, paid on, report status, report lines
        ("甲驿站", 1, datetime.date(2026, 3, 2), UsageReport.Status.ACCEPTED, ["3000", "2000"]),
        ("乙驿站", 2, datetime.date(2026, 4, 1), UsageReport.Status.SUBMITTED, ["1500"]),
        ("丁驿站", 3, datetime.date(2026, 5, 1), UsageReport.Status.DRAFT, ["800"]),
        ("戊驿站", 4, None, None, []),
    ]
    awards = []
    for name, rank, paid_on, report_status, lines in award_specs:
        award = factories.published_award(staff=staff, rank=rank, cycle=cycle, name=name)
        if paid_on:
            award = funds.pay(
                award,
                by=staff,
                paid_on=paid_on,
                amount=award.amount_due,
                voucher_reference="榕高新财拨〔2026〕018号",
                voucher_file=SimpleUploadedFile("凭证.pdf", factories.TINY_PDF),
                payee_name="福州某依托机构",
                payee_credit_code=factories.valid_code(7),
            )
            report = award.usage_report
            for amount in lines:
                UsageLine.objects.create(
                    report=report, purpose="roadshow", description="路演", amount=Decimal(amount)
                )
            UsageReport.objects.filter(pk=report.pk).update(
                status=report_status, submitted_at=NOW, decided_at=NOW
            )
        awards.append((award, paid_on, report_status, [Decimal(a) for a in lines]))

    order_specs = [  # station, status, issued on
        (names["丙驿站"], RectificationOrder.Status.ISSUED, datetime.date(2026, 4, 1)),
        (service_c, RectificationOrder.Status.REPORTED, datetime.date(2026, 6, 1)),
        (names["丁驿站"], RectificationOrder.Status.DRAFT, None),
        (names["乙驿站"], RectificationOrder.Status.PASSED, datetime.date(2025, 5, 1)),
    ]
    for station, status, issued_on in order_specs:
        RectificationOrder.objects.create(station=station, status=status, issued_on=issued_on)

    publicity = Publicity.objects.create(purpose="certification", title="2026年度驿站认定公示")
    objection_specs = [
        (Objection.Status.OPEN, NOW),
        (Objection.Status.OPEN, NOW - datetime.timedelta(days=30)),
        (Objection.Status.DISMISSED, NOW - datetime.timedelta(days=60)),
        # 2026-01-01 00:30 in Shanghai is still 2025 in UTC: counted in 2026.
        (Objection.Status.UPHELD, datetime.datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI)),
        (Objection.Status.OPEN, datetime.datetime(2025, 12, 31, 23, 30, tzinfo=SHANGHAI)),
    ]
    for status, received_at in objection_specs:
        Objection.objects.create(
            publicity=publicity,
            channel="phone",
            name="赵某",
            contact="来电",
            reason="数据不实",
            status=status,
            received_at=received_at,
        )
    for station in stations:
        station.refresh_from_db()
    return {
        "cycle": cycle,
        "stations": stations,
        "applications": applications,
        "activities": activity_specs,
        "services": service_specs,
        "awards": awards,
        "orders": order_specs,
        "objections": objection_specs,
    }


# --- the numbers ------------------------------------------------------------------------------


def test_certified_stations_by_type_and_status(world):
    chart = charts(dashboard.Filters(YEAR))["stations"]
    expected = Counter(
        (s.station_type, s.status)
        for s in world["stations"]
        if s.status in ("certified", "rectifying", "revoked")
    )
    types = [label for _value, label in StationType.choices]
    assert [str(label) for label in chart.labels] == [str(t) for t in types]
    for series, status in zip(chart.series, ("certified", "rectifying", "revoked"), strict=True):
        assert series.values == [expected[(value, status)] for value, _l in StationType.choices]
    # In 2025 the stations certified in 2026 were not yet.
    chart_2025 = charts(dashboard.Filters(2025))["stations"]
    assert sum(chart_2025.series[0].values) == sum(chart.series[0].values) - 2


def test_applications_of_the_years_call(world):
    chart = charts(dashboard.Filters(YEAR))["applications"]
    expected = Counter(a.status for a in world["applications"] if a.status != "draft")
    assert by_label(chart) == {
        str(status.label): expected[status] for status in Application.Status if status != "draft"
    }
    service = charts(dashboard.Filters(YEAR, "service"))["applications"]
    assert sum(service.series[0].values) == 2


def _monthly(specs, year, station_type=None, field="count"):
    totals = [0] * 12
    for station, day, person_times, status in specs:
        if status != "accepted" or day.year != year:
            continue
        if station_type and station.station_type != station_type:
            continue
        totals[day.month - 1] += 1 if field == "count" else person_times
    return totals


def test_activities_and_person_times_per_month_this_year_and_last(world):
    result = charts(dashboard.Filters(YEAR))
    activities, person_times = result["activities"], result["person-times"]
    assert [s.name for s in activities.series] == ["2026", "2025"]
    assert activities.series[0].values == _monthly(world["activities"], 2026)
    assert activities.series[1].values == _monthly(world["activities"], 2025)
    for index, year in enumerate((2026, 2025)):
        expected = [
            a + s
            for a, s in zip(
                _monthly(world["activities"], year, field="pt"),
                _monthly(world["services"], year, field="pt"),
                strict=True,
            )
        ]
        assert person_times.series[index].values == expected
    service = charts(dashboard.Filters(YEAR, "service"))["activities"]
    assert service.series[0].values == _monthly(world["activities"], 2026, "service")


def _expected_standing(station, activities, services, year=YEAR):
    """Art. 7(6) by hand: 4 activities and 50 person-times a year, the pace pro rata; a
    finished year met (pro rata in the year of certification) or missed."""
    policy = PolicyVersion.current()
    start = max(datetime.date(year, 1, 1), station.certified_on)
    end = min(TODAY, datetime.date(year, 12, 31))
    days = (end - start).days + 1
    year_days = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
    n = sum(
        1
        for s, day, _pt, status in activities
        if s == station and day.year == year and status == "accepted"
    )
    pt = sum(
        pt
        for s, day, pt, status in activities + services
        if s == station and day.year == year and status == "accepted"
    )
    if n >= policy.min_activities_per_year and pt >= policy.min_person_times_per_year:
        return "met"
    due_n = policy.min_activities_per_year * days // year_days
    due_pt = policy.min_person_times_per_year * days // year_days
    behind = n < due_n or pt < due_pt
    if year < TODAY.year:
        return "missed" if behind else "met"
    return "behind" if behind else "on_pace"


def test_stations_behind_the_minimums(world):
    chart = charts(dashboard.Filters(YEAR))["minimums"]
    live = [s for s in world["stations"] if s.status in ("certified", "rectifying")]
    expected = Counter(_expected_standing(s, world["activities"], world["services"]) for s in live)
    assert expected["met"] and expected["behind"]  # the data set has each
    assert chart.series[0].values == [expected["met"], expected["on_pace"], expected["behind"]]
    assert len(chart.items) == expected["behind"]


def test_a_finished_year_is_met_or_missed_not_a_pace(world):
    chart = charts(dashboard.Filters(YEAR - 1))["minimums"]
    live = [
        s
        for s in world["stations"]
        if s.status in ("certified", "rectifying") and s.certified_on.year < YEAR
    ]
    expected = Counter(
        _expected_standing(s, world["activities"], world["services"], YEAR - 1) for s in live
    )
    assert expected["missed"] and set(expected) <= {"met", "missed"}
    assert [str(label) for label in chart.labels] == ["已达最低要求", "未达最低要求"]
    assert chart.series[0].values == [expected["met"], expected["missed"]]
    assert len(chart.items) == expected["missed"] and chart.items_title == "未达最低要求的驿站"


def test_score_distribution_of_the_last_closed_cycle(world):
    chart = charts(dashboard.Filters(YEAR))["scores"]
    pass_mark = world["cycle"].policy_version.pass_mark
    scores = [
        sum({**BEST, **(points or {})}.values()) for points in CYCLE_POINTS.values()
    ]  # 100, 88, 45, 78, 66
    bands = [(0, 60), (60, 70), (70, 80), (80, 90), (90, 101)]
    below = [sum(1 for s in scores if lo <= s < hi and s < pass_mark) for lo, hi in bands]
    passed = [sum(1 for s in scores if lo <= s < hi and s >= pass_mark) for lo, hi in bands]
    assert chart.series[0].values == below
    assert chart.series[1].values == passed
    assert f"{pass_mark:.2f}".rstrip("0").rstrip(".") in chart.note
    assert sum(charts(dashboard.Filters(YEAR, "service"))["scores"].series[1].values) == 0
    # Before the cycle began there is none.
    assert charts(dashboard.Filters(2023))["scores"].is_empty


def test_awards_paid_against_usage_reports_filed(world):
    chart = charts(dashboard.Filters(YEAR))["awards"]
    paid = [a for a in world["awards"] if a[1] and a[1].year <= YEAR]
    filed = [a for a in paid if a[2] in ("submitted", "accepted")]
    accepted = [a for a in paid if a[2] == "accepted"]
    due = [a for a in world["awards"] if not a[1]]
    assert chart.series[0].values == [len(due), len(paid), len(filed), len(accepted)]
    assert chart.series[1].values == [
        sum(a[0].amount_due for a in due),
        sum(a[0].amount_paid for a in paid),
        sum(sum(a[3]) for a in filed),
        sum(sum(a[3]) for a in accepted),
    ]
    assert charts(dashboard.Filters(2025))["awards"].series[0].values == [0, 0, 0, 0]


def test_objections_and_rectifications_by_state(world):
    result = charts(dashboard.Filters(YEAR))
    expected = Counter(status for status, at in world["objections"] if at.year == YEAR)
    assert by_label(result["objections"]) == {
        str(status.label): expected[status] for status in Objection.Status
    }
    orders = Counter(
        status
        for _station, status, issued_on in world["orders"]
        if (issued_on or TODAY).year == YEAR
    )
    assert by_label(result["rectifications"]) == {
        str(status.label): orders[status] for status in RectificationOrder.Status
    }


# --- the page, its filters and its downloads --------------------------------------------------


def test_the_page_shows_every_chart_with_its_table_and_download(client, official_user, world):
    client.force_login(official_user)
    response = client.get(reverse("dashboard"), {"year": YEAR, "type": "service"})
    assert response.status_code == 200
    page = response.content.decode()
    keys = [panel.key for panel in dashboard.panels()]
    assert {"stations", "applications", "activities", "minimums", "scores"} <= set(keys)
    for key in keys:
        assert f"{reverse('dashboard_xlsx', args=[key])}?year=2026&amp;type=service" in page
    assert page.count('role="img"') == 2 * len(keys) - 2 * sum(  # desktop and phone
        chart.is_empty for chart in charts(dashboard.Filters(YEAR, "service")).values()
    )
    assert page.count("<caption>") >= len(keys)
    assert "<script" not in page.split("<main", 1)[1].split("</main>")[0]


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"year": "1999"}, {"type": "nope"}, {"year": "²"}]
)
def test_bad_filters_are_a_clear_message_not_an_error(client, staff_user, params):
    client.force_login(staff_user)
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 400
    assert response.context["filters"] == dashboard.Filters(TODAY.year)
    assert list(response.context["messages"])
    assert response.context["form"]["year"].value() == params.get("year")  # as typed
    xlsx = client.get(reverse("dashboard_xlsx", args=["stations"]), params)
    assert xlsx.status_code == 400


def test_unknown_panel_is_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("dashboard_xlsx", args=["nothing"])).status_code == 404


def _sheet(response):
    book = load_workbook(io.BytesIO(b"".join([response.content])))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_the_xlsx_of_a_panel_has_its_numbers_with_the_filters(client, official_user, world):
    client.force_login(official_user)
    response = client.get(reverse("dashboard_xlsx", args=["activities"]), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _sheet(response)
    chart = charts(dashboard.Filters(YEAR))["activities"]
    assert rows[0][0] == chart.title
    assert "2026" in rows[1][0]
    data = rows[-12:]
    assert [row[1] for row in data] == _monthly(world["activities"], 2026)
    assert [row[2] for row in data] == _monthly(world["activities"], 2025)

    service = client.get(
        reverse("dashboard_xlsx", args=["awards"]), {"year": YEAR, "type": "industry"}
    )
    rows = _sheet(service)
    paid = [a for a in world["awards"] if a[1]]
    assert rows[-3][1:] == [len(paid), sum(a[0].amount_paid for a in paid)]


def test_months_not_reached_yet_have_no_number_not_zero(client, official_user):
    """In July the year's line stops at July (the note says up to which day); the table says
    「—」 and the xlsx leaves the cells empty; last year's months all have their numbers."""
    station = factories.StationFactory(status=Station.Status.CERTIFIED)
    for day in (datetime.date(2026, 7, 3), datetime.date(2025, 11, 20)):
        factories.ActivityFactory(
            station=station, date=day, person_times=7, status=Activity.Status.ACCEPTED
        )
    with time_machine.travel(datetime.datetime(2026, 7, 15, 9, tzinfo=SHANGHAI), tick=False):
        chart = charts(dashboard.Filters(YEAR))["activities"]
        assert chart.series[0].values == [0] * 6 + [1] + [None] * 5
        assert chart.series[1].values == [0] * 10 + [1, 0]
        assert "统计截至7月15日。" in chart.note
        assert "截至" not in charts(dashboard.Filters(2025))["activities"].note
        client.force_login(official_user)
        page = client.get(reverse("dashboard"), {"year": YEAR}).content.decode()
        assert '<span aria-hidden="true">—</span><span class="visually-hidden">' in page
        rows = _sheet(client.get(reverse("dashboard_xlsx", args=["activities"]), {"year": YEAR}))
    assert [row[1] for row in rows[-12:]] == [0] * 6 + [1] + [None] * 5


def test_a_line_with_months_not_reached_stops_where_they_begin():
    from talentstation.charts import render_svg

    chart = dashboard.Chart(
        title="每月活动",
        labels=[f"{m}月" for m in range(1, 13)],
        series=[dashboard.Series("2026", [1, 2, 3] + [None] * 9)],
        kind=dashboard.LINE,
    )
    svg = str(render_svg(chart, "c3"))
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3 + 1  # and the legend
    gap = dashboard.Chart(
        title="t",
        labels=list("abcd"),
        series=[dashboard.Series("s", [1, None, 2, 3])],
        kind=dashboard.LINE,
    )
    assert str(render_svg(gap, "c4")).count("<polyline") == 2  # a gap, not a drop to 0


def test_the_phone_layout_is_drawn_at_phone_size_with_labels_above_the_bars():
    from talentstation.charts import NARROW, render_svg

    chart = dashboard.Chart(
        title="按类型",
        labels=["行业型（产业型）人才驿站", "创业型人才驿站"],
        series=[
            dashboard.Series("已认定", [3, 1]),
            dashboard.Series("整改中", [0, 1]),
            dashboard.Series("已撤销（收回牌匾）", [0, 0]),
        ],
    )
    wide, narrow = str(render_svg(chart, "w")), str(render_svg(chart, "n", NARROW))
    assert 'viewBox="0 0 640 ' in wide and 'viewBox="0 0 340 ' in narrow
    assert 'text-anchor="end" font-weight="normal" fill="#212529">创业型人才驿站' in wide
    assert 'x="12.0" y="' in narrow and ">创业型人才驿站</text>" in narrow  # above, from the left
    assert 'id="n-p0"' in narrow and 'id="w-p0"' in wide  # ids of their own in one page
    months = dashboard.Chart(
        title="每月",
        labels=[f"{m}月" for m in range(1, 13)],
        series=[dashboard.Series("2026", [1] * 12)],
        kind=dashboard.LINE,
    )
    assert str(render_svg(months, "m")).count(">10月</text>") == 1
    narrow_months = str(render_svg(months, "m", NARROW))
    assert ">11月</text>" in narrow_months and ">10月</text>" not in narrow_months  # every other


def test_the_page_shows_a_chart_for_desktop_and_one_for_phones(client, official_user, world):
    client.force_login(official_user)
    page = client.get(reverse("dashboard"), {"year": YEAR}).content.decode()
    drawn = sum(not chart.is_empty for chart in charts(dashboard.Filters(YEAR)).values())
    assert page.count('<div class="d-none d-sm-block"><svg') == drawn
    assert page.count('<div class="d-sm-none"><svg') == drawn
    assert 'id="chart-activities-narrow-title"' in page


# --- a constant number of queries -------------------------------------------------------------


def _district(count):
    """``count`` certified stations (bulk-created), each with an accepted activity and service
    record, a few applications, a closed cycle with assessments, orders and an award."""
    unit = factories.HostUnitFactory()
    types = [value for value, _label in StationType.choices]
    stations = Station.objects.bulk_create(
        Station(
            name=f"驿站{index}",
            station_type=types[index % 4],
            host_unit=unit,
            status=Station.Status.CERTIFIED if index % 5 else Station.Status.RECTIFYING,
            certified_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=index % 300),
        )
        for index in range(count)
    )
    Activity.objects.bulk_create(
        Activity(
            station=station,
            date=datetime.date(YEAR - index % 2, 1 + index % 12, 5),
            title="活动",
            kind="exchange",
            place="会议室",
            person_times=10 + index % 7,
            report="报告",
            status=Activity.Status.ACCEPTED,
        )
        for index, station in enumerate(stations)
    )
    ServiceRecord.objects.bulk_create(
        ServiceRecord(
            station=station,
            date=datetime.date(YEAR, 1 + index % 12, 9),
            kind="policy",
            served="一人",
            person_times=1 + index % 3,
            status=ServiceRecord.Status.ACCEPTED,
        )
        for index, station in enumerate(stations)
    )
    RectificationOrder.objects.bulk_create(
        RectificationOrder(station=station, status="issued", issued_on=datetime.date(YEAR, 2, 1))
        for station in stations[::3]
    )
    return stations


def _dashboard(client):
    response = client.get(reverse("dashboard"), {"year": YEAR})
    assert response.status_code == 200
    return response


def test_the_same_number_of_queries_at_10_and_500_stations(
    client, staff_user, django_assert_num_queries
):
    client.force_login(staff_user)
    factories.CallFactory(year=YEAR)
    _district(10)
    _dashboard(client)  # warm the caches (session, policy)
    with CaptureQueriesContext(connection) as at_ten:
        _dashboard(client)
    _district(490)
    assert Station.objects.count() == 500
    with django_assert_num_queries(len(at_ten.captured_queries)):
        _dashboard(client)


# --- who may see it ---------------------------------------------------------------------------


def test_who_may_see_the_dashboard(client, staff_user, official_user, expert_user, applicant):
    url = reverse("dashboard")
    xlsx = reverse("dashboard_xlsx", args=["stations"])
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(xlsx).status_code == 302
    for user, expected in (
        (applicant, 403),
        (expert_user, 403),
        (staff_user, 200),
        (official_user, 200),
    ):
        client.force_login(user)
        assert client.get(url).status_code == expected, user
        assert client.get(xlsx).status_code == expected, user


def test_officials_start_on_the_dashboard_and_the_navbar_links_it(
    client, official_user, staff_user
):
    from talentstation.start_pages import start_page_for

    assert start_page_for(official_user) == reverse("dashboard")
    client.force_login(staff_user)
    assert f'href="{reverse("dashboard")}"' in client.get(reverse("dashboard")).content.decode()
    assert factories.UserFactory(role=Role.APPLICANT)  # not shown to others: see base.html


# --- the SVG ----------------------------------------------------------------------------------


def test_a_bar_chart_prints_its_values_and_a_pattern_per_series():
    from talentstation.charts import nice_maximum, render_svg

    chart = dashboard.Chart(
        title="<按类型>",
        labels=["甲", "乙"],
        series=[dashboard.Series("已认定", [3, 12]), dashboard.Series("整改中", [0, 7])],
        unit="个",
    )
    svg = str(render_svg(chart, "c1"))
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">&lt;按类型&gt;</title>' in svg  # escaped
    for value in ("3", "12", "0", "7"):
        assert f">{value}</text>" in svg
    assert 'fill="url(#c1-p0)"' in svg and 'fill="url(#c1-p1)"' in svg
    assert [nice_maximum(v) for v in (0, 3, 6, 26, 251)] == [5, 5, 10, 50, 500]


def test_a_line_chart_has_a_marker_and_dash_per_series():
    from talentstation.charts import render_svg

    chart = dashboard.Chart(
        title="每月活动",
        labels=[f"{m}月" for m in range(1, 13)],
        series=[dashboard.Series("2026", [1] * 12), dashboard.Series("2025", [2] * 12)],
        kind=dashboard.LINE,
    )
    svg = str(render_svg(chart, "c2"))
    assert svg.count("<polyline") == 2
    assert 'stroke-dasharray="7 4"' in svg  # the second series is dashed
    assert svg.count("<circle") >= 12 and svg.count("<rect") >= 12  # circles, squares
