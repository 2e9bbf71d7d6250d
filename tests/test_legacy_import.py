"""Bulk import of legacy stations (certified before the portal) in admin: xlsx/csv, dry-run
preview, all or nothing, per-row errors in Chinese, host units by credit code, reserved plaques."""

import datetime
import io

import openpyxl
import pytest
import tablib
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from stations.models import HostUnit, Station, next_plaque_number
from stations.resources import StationImportResource, canonical_plaque, parse_date
from talentstation.models import TransitionLog

from . import factories

PILOT = "91350211M0000XUF46"  # a real early Fujian code whose check character fails
HEADERS = [
    "设站单位名称",
    "统一社会信用代码",
    "驿站名称",
    "类型",
    "坐落地址",
    "牌匾编号",
    "认定日期",
    "状态",
]
PATTERN = "榕高新人才驿站〔{year}〕{seq:03d}号"
IMPORT_URL = "admin:stations_station_import"
PROCESS_URL = "admin:stations_station_process_import"


def plaque(year, seq):
    return PATTERN.format(year=year, seq=seq)


def zh(message, **params):
    """``message`` as the Chinese interface shows it (the catalogue's translation)."""
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % params if params else text


def row(
    unit="福州甲科技有限公司",
    code=None,
    name="甲科技人才驿站",
    kind="行业型",
    address="福州市闽侯县高新大道1号",
    number=None,
    on=datetime.date(2024, 7, 2),
    status="已认定",
):
    return [
        unit,
        code or factories.valid_code(9001),
        name,
        kind,
        address,
        number or plaque(2024, 1),
        on,
        status,
    ]


def xlsx(rows, headers=HEADERS, name="legacy.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def csv(rows, headers=HEADERS, encoding="utf-8", name="legacy.csv"):
    dataset = tablib.Dataset(headers=headers)
    for values in rows:
        dataset.append(["" if v is None else str(v) for v in values])
    return SimpleUploadedFile(name, dataset.export("csv").encode(encoding), content_type="text/csv")


def preview(client, upload, file_format="0"):
    return client.post(
        reverse(IMPORT_URL), {"resource": "0", "format": file_format, "import_file": upload}
    )


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(reverse(PROCESS_URL), form.initial, follow=True)


def page(response):
    return response.content.decode()


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-09-01 10:00 +0800"):
        yield


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# --- a good file --------------------------------------------------------------------------


@pytest.mark.django_db
def test_good_xlsx_is_previewed_then_imported(staff_client, staff_user):
    existing = factories.HostUnitFactory(
        name="已注册单位有限公司", credit_code=factories.valid_code(7)
    )
    a_code = factories.valid_code(9001)
    upload = xlsx(
        [
            row(code=a_code, name="甲科技人才驿站", kind="行业型", number=plaque(2024, 1)),
            row(
                code=f" {a_code.lower()} ",
                name="甲创业人才驿站",
                kind="创业型",
                number="榕高新人才驿站[2024]2号",
                on="2024/7/2",
                status="整改中",
            ),
            row(
                unit="福州试点代码有限公司",
                code=PILOT,
                name="试点人才驿站",
                kind="服务型",
                number=plaque(2023, 5),
                on="2023年6月30日",
                status="已撤销",
            ),
            row(
                unit="别的名字",
                code=existing.credit_code,
                name="已注册单位人才驿站",
                kind="comprehensive",
                number=plaque(2025, 3),
                on=datetime.date(2025, 8, 1),
                status="",
            ),
        ]
    )

    response = preview(staff_client, upload)
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in page(response)
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.rows] == ["new"] * 4
    assert "confirm_form" in response.context
    assert "甲创业人才驿站" in page(response) and plaque(2024, 2) in page(response)
    assert Station.objects.count() == 0 and HostUnit.objects.count() == 1  # a dry run

    warnings = dict(result.legacy_warnings)
    assert set(warnings) == {4, 5}  # spreadsheet rows of the pilot code and the existing unit
    assert PILOT in warnings[4] and "福州试点代码有限公司" in warnings[4]
    assert "已注册单位有限公司" in warnings[5] and "别的名字" in warnings[5]
    assert warnings[4] in page(response)

    response = confirm(staff_client, response)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("admin:stations_station_changelist")
    shown = [str(m) for m in response.context["messages"]]
    assert any(warnings[4] in m for m in shown)

    stations = {s.name: s for s in Station.objects.select_related("host_unit")}
    assert len(stations) == 4
    first, second = stations["甲科技人才驿站"], stations["甲创业人才驿站"]
    assert first.host_unit == second.host_unit  # one new unit for both rows
    assert first.host_unit.name == "福州甲科技有限公司" and first.host_unit.credit_code == a_code
    assert (first.status, first.station_type, first.plaque_number, first.certified_on) == (
        "certified",
        "industry",
        plaque(2024, 1),
        datetime.date(2024, 7, 2),
    )
    assert (second.status, second.station_type, second.plaque_number) == (
        "rectifying",
        "entrepreneurship",
        plaque(2024, 2),
    )
    pilot = stations["试点人才驿站"]
    assert (pilot.status, pilot.certified_on) == ("revoked", datetime.date(2023, 6, 30))
    assert pilot.host_unit.code_state == HostUnit.CodeState.UNCONFIRMED
    assert pilot.host_unit in HostUnit.objects.needing_code_confirmation()
    assert first.host_unit.code_state == HostUnit.CodeState.CHECKED
    assert first.host_unit.verification == HostUnit.Verification.UNVERIFIED
    assert first.host_unit.contact_name == ""
    reused = stations["已注册单位人才驿站"]
    assert reused.host_unit == existing and reused.status == "certified"
    existing.refresh_from_db()
    assert existing.name == "已注册单位有限公司"  # an existing unit is never changed
    assert HostUnit.objects.count() == 3

    for station in stations.values():
        (log,) = TransitionLog.objects.for_object(station)
        assert (log.transition, log.from_state, log.to_state, log.actor) == (
            "import_legacy",
            "",
            station.status,
            staff_user,
        )
        assert "历史数据导入" in log.reason and "legacy.xlsx" in log.reason


@pytest.mark.django_db
def test_csv_in_gbk_with_english_headers_and_contacts(staff_client):
    headers = [
        "unit name",
        "Credit code",
        "station name",
        "type",
        "address",
        "plaque number",
        "certified on",
        "status",
        "contact person",
        "contact mobile",
        "contact e-mail",
    ]
    values = row(kind="service", on="2024-07-02", status="certified")
    upload = csv(
        [[*values, "李四", "+86 139 1234 5678", "li@example.com"]], headers=headers, encoding="gbk"
    )
    response = preview(staff_client, upload, file_format="1")
    assert "confirm_form" in response.context, page(response)
    confirm(staff_client, response)
    station = Station.objects.get()
    assert (station.name, station.station_type, station.status) == (
        "甲科技人才驿站",
        "service",
        "certified",
    )
    unit = station.host_unit
    assert (unit.contact_name, unit.contact_mobile, unit.contact_email) == (
        "李四",
        "13912345678",
        "li@example.com",
    )


@pytest.mark.django_db
def test_example_file_downloads_and_imports(staff_client):
    response = staff_client.get(reverse("admin:stations_station_import_example"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:8] == HEADERS
    upload = SimpleUploadedFile("example.xlsx", response.content)
    response = preview(staff_client, upload)
    assert "confirm_form" in response.context, page(response)


@pytest.mark.django_db
def test_import_page_shows_help_and_columns(staff_client):
    response = staff_client.get(reverse(IMPORT_URL))
    assert response.status_code == 200
    html = page(response)
    for header in HEADERS:
        assert header in html
    assert reverse("admin:stations_station_import_example") in html
    changelist = staff_client.get(reverse("admin:stations_station_changelist"))
    assert reverse(IMPORT_URL) in page(changelist)


# --- plaque numbers -----------------------------------------------------------------------


@pytest.mark.django_db
def test_imported_plaque_numbers_are_never_issued(staff_client):
    upload = xlsx(
        [
            row(code=factories.valid_code(9001), number=plaque(2026, 1), on="2026-01-05"),
            row(
                code=factories.valid_code(9002),
                name="乙人才驿站",
                number="榕高新人才驿站（2026）2号",
                on="2026-01-05",
            ),
        ]
    )
    confirm(staff_client, preview(staff_client, upload))
    assert set(Station.objects.values_list("plaque_number", flat=True)) == {
        plaque(2026, 1),
        plaque(2026, 2),
    }
    assert next_plaque_number(2026) == plaque(2026, 3)


def test_plaque_numbers_follow_the_pattern_whatever_was_typed():
    assert canonical_plaque("榕高新人才驿站[2024]1号", PATTERN) == (plaque(2024, 1), 2024)
    typed = "榕高新人才驿站【２０２４】０１２号"
    assert canonical_plaque(typed, PATTERN) == (plaque(2024, 12), 2024)
    assert canonical_plaque("榕高新驿字第18号", PATTERN) == ("榕高新驿字第18号", None)


# --- bad files: nothing is imported, the error is shown beside its row ----------------------


def _bad_rows():
    good = row(code=factories.valid_code(9001), number=plaque(2024, 1))
    other = factories.valid_code(9002)
    return {
        "bad credit code": (
            [good, row(code="91350100MA00000", name="乙驿站", number=plaque(2024, 2))],
            "统一社会信用代码",
            lambda: "统一社会信用代码应为18位，当前输入为15位。",
        ),
        "bad character in credit code": (
            [good, row(code="91350100MA0000I00O", name="乙驿站", number=plaque(2024, 2))],
            "统一社会信用代码",
            lambda: "统一社会信用代码仅由数字和大写字母",
        ),
        "missing plaque": (
            [good, row(code=other, name="乙驿站", number=" ")],
            "牌匾编号",
            lambda: zh("Enter the plaque number: every certified station has one."),
        ),
        "plaque twice in the file": (
            [good, row(code=other, name="乙驿站", number="榕高新人才驿站[2024]001号")],
            "牌匾编号",
            lambda: zh(
                "The plaque number %(number)s is also on row %(row)d of the file.",
                number=plaque(2024, 1),
                row=2,
            ),
        ),
        "plaque already used": (
            [good, row(code=other, name="乙驿站", number=plaque(2020, 9))],
            "牌匾编号",
            lambda: zh(
                "The plaque number %(number)s is already held by the station “%(station)s”.",
                number=plaque(2020, 9),
                station="早已认定的驿站",
            ),
        ),
        "unknown type": (
            [good, row(code=other, name="乙驿站", kind="人才型", number=plaque(2024, 2))],
            "类型",
            lambda: zh(
                "Unknown station type “%(value)s”: use 行业型, 创业型, 服务型 or 综合型.",
                value="人才型",
            ),
        ),
        "bad date": (
            [good, row(code=other, name="乙驿站", number=plaque(2024, 2), on="2024-02-30")],
            "认定日期",
            lambda: zh(
                "“%(value)s” is not a date: write it as 2024-07-02, 2024/7/2 or 2024年7月2日.",
                value="2024-02-30",
            ),
        ),
        "date in the future": (
            [good, row(code=other, name="乙驿站", number=plaque(2024, 2), on="2027-01-01")],
            "认定日期",
            lambda: zh("The date of certification %(date)s is in the future.", date="2027-01-01"),
        ),
        "unknown status": (
            [good, row(code=other, name="乙驿站", number=plaque(2024, 2), status="申报中")],
            "状态",
            lambda: zh(
                "Unknown status “%(value)s”: use 已认定, 整改中 or 已撤销 (empty means 已认定).",
                value="申报中",
            ),
        ),
        "new unit without name": (
            [good, row(unit="", code=other, name="乙驿站", number=plaque(2024, 2))],
            "设站单位名称",
            lambda: zh("The unit is new to the portal: enter its name."),
        ),
        "bad mobile of a new unit": (
            [good, [*row(code=other, name="乙驿站", number=plaque(2024, 2)), "王五", "12345"]],
            "联系电话",
            lambda: zh(
                "Enter a mainland China mobile number of 11 digits starting with 1, "
                "e.g. 13800138000."
            ),
        ),
    }


BAD_ROWS = _bad_rows()


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_one_bad_row_and_nothing_is_imported(staff_client, case):
    rows, column, expected = BAD_ROWS[case]
    factories.StationFactory(name="早已认定的驿站", plaque_number=plaque(2020, 9))
    units_before = HostUnit.objects.count()
    headers = HEADERS + ["联系人", "联系电话"] if len(rows[1]) > len(HEADERS) else HEADERS
    rows = [r + [""] * (len(headers) - len(r)) for r in rows]

    response = preview(staff_client, xlsx(rows, headers=headers))

    assert response.status_code == 200
    assert "confirm_form" not in response.context  # confirming is impossible
    result = response.context["result"]
    assert result.has_validation_errors() and not result.has_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number + 1 == 3  # the second data row is row 3 of the spreadsheet
    messages = invalid.field_specific_errors[column]
    assert any(expected() in message for message in messages), messages
    html = page(response)
    assert expected() in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert column in html
    assert Station.objects.count() == 1 and HostUnit.objects.count() == units_before


@pytest.mark.django_db
def test_import_is_all_or_nothing_even_when_run_for_real(staff_user):
    """The resource itself rolls back on any row error, whoever runs it (not only the preview)."""
    dataset = tablib.Dataset(headers=HEADERS)
    dataset.append(row(code=factories.valid_code(9001), number=plaque(2024, 1)))
    dataset.append(row(code=factories.valid_code(9002), name="乙驿站", number=plaque(2024, 1)))
    dataset.append(row(unit="试点", code=PILOT, name="丙驿站", number=plaque(2024, 3)))

    result = StationImportResource().import_data(dataset, dry_run=False, user=staff_user)

    assert result.has_validation_errors()
    assert [r.number for r in result.invalid_rows] == [2]
    assert Station.objects.count() == 0
    assert HostUnit.objects.count() == 0
    assert TransitionLog.objects.count() == 0


@pytest.mark.django_db
def test_a_change_between_preview_and_confirmation_imports_nothing(staff_client):
    upload = xlsx(
        [
            row(code=factories.valid_code(9001), number=plaque(2024, 1)),
            row(code=factories.valid_code(9002), name="乙驿站", number=plaque(2024, 2)),
        ]
    )
    response = preview(staff_client, upload)
    assert "confirm_form" in response.context
    factories.StationFactory(plaque_number=plaque(2024, 2))  # issued meanwhile

    response = confirm(staff_client, response)

    assert response.redirect_chain[-1][0] == reverse(IMPORT_URL)
    assert any(
        zh(
            "Nothing was imported: the file has errors now (something changed since the "
            "preview). Upload it again to see them."
        )
        in str(m)
        for m in response.context["messages"]
    )
    assert Station.objects.count() == 1
    assert not HostUnit.objects.filter(credit_code=factories.valid_code(9001)).exists()


@pytest.mark.django_db
def test_missing_column_is_reported_for_the_file(staff_client):
    headers = [h for h in HEADERS if h != "牌匾编号"]
    values = row()
    del values[HEADERS.index("牌匾编号")]
    response = preview(staff_client, xlsx([values], headers=headers))
    assert "confirm_form" not in response.context
    result = response.context["result"]
    assert result.has_errors()
    assert "牌匾编号" in str(result.base_errors[0].error)
    assert "牌匾编号" in page(response) and "Traceback" not in page(response)
    assert Station.objects.count() == 0


@pytest.mark.django_db
def test_blank_lines_are_ignored_and_rows_keep_their_spreadsheet_numbers(staff_client):
    upload = xlsx(
        [
            row(code=factories.valid_code(9001), number=plaque(2024, 1)),
            [None] * len(HEADERS),
            row(code=factories.valid_code(9002), name="乙驿站", number=plaque(2024, 2), kind="?"),
            [None] * len(HEADERS),
        ]
    )
    response = preview(staff_client, upload)
    (invalid,) = response.context["result"].invalid_rows
    assert invalid.number + 1 == 4
    assert "<td>4</td>" in page(response)


# --- who may import -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", [IMPORT_URL, "admin:stations_station_import_example"])
def test_officials_may_not_import(client, official_user, url_name):
    client.force_login(official_user)
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = preview(client, xlsx([row()]))
    assert response.status_code == 302
    response = client.post(
        reverse(PROCESS_URL),
        {"import_file_name": "x", "format": "0", "original_file_name": "x.xlsx"},
    )
    assert response.status_code == 302
    assert Station.objects.count() == 0


@pytest.mark.django_db
def test_uploaded_file_is_kept_only_until_it_is_confirmed(staff_client, settings):
    folder = settings.MEDIA_ROOT / "django-import-export"
    preview(staff_client, xlsx([row(kind="?")]))
    assert not folder.exists() or not any(folder.iterdir())  # cannot be confirmed: removed
    response = preview(staff_client, xlsx([row()]))
    assert len(list(folder.iterdir())) == 1  # under MEDIA_ROOT: any app server can confirm
    confirm(staff_client, response)
    assert not any(folder.iterdir())
    assert Station.objects.count() == 1


# --- the resource, directly ---------------------------------------------------------------


@pytest.mark.django_db
def test_dry_run_of_the_resource_reports_but_saves_nothing(staff_user):
    dataset = tablib.Dataset(headers=HEADERS)
    dataset.append(row(unit="试点单位", code=PILOT, number=plaque(2024, 1)))
    result = StationImportResource().import_data(dataset, dry_run=True, user=staff_user)
    assert not result.has_validation_errors() and not result.has_errors()
    assert result.totals["new"] == 1 and result.legacy_units_created == 1
    ((number, note),) = result.legacy_warnings
    assert number == 2 and PILOT in note
    assert Station.objects.count() == 0 and HostUnit.objects.count() == 0


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2024, 7, 2),
        datetime.datetime(2024, 7, 2, 0, 0),
        "2024-07-02",
        "2024/7/2",
        "2024.7.2",
        "20240702",
        "2024年7月2日",
        " 2024 年 7 月 2 日 ",
        "２０２４年７月２日",
        "2024-07-02 00:00:00",
        45475,
    ],
)
def test_dates_in_the_usual_spellings(value):
    assert parse_date(value) == datetime.date(2024, 7, 2)


@pytest.mark.parametrize("value", ["2024-13-01", "7/2/2024", "昨天", 12])
def test_not_dates(value):
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.django_db
def test_invisible_characters_in_a_cell_make_the_row_an_error(staff_client):
    response = preview(staff_client, xlsx([row(name="甲科技\u202e人才驿站")]))
    body = page(response)
    assert "U+202E" in body
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    from stations.models import Station

    assert not Station.objects.exists()
