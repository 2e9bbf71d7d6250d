"""The xlsx exports of the staff lists of stations and applications, with the list's filters
applied (:func:`talentstation.spreadsheets.list_export`): one query for the rows, whatever
their number; the texts in Chinese whatever the page's language."""

from django.utils import translation

from stations.documents import STATION_TYPE_LABELS
from talentstation.spreadsheets import DATE_FORMAT, Column, dated_filename, list_export

STATION_TITLE = "人才驿站名单"
STATION_COLUMNS = [
    Column("序号", 6),
    Column("驿站名称", 28),
    Column("类型", 14),
    Column("设站单位", 28),
    Column("统一社会信用代码", 22),
    Column("单位核验", 12),
    Column("状态", 10),
    Column("认定日期", 12, DATE_FORMAT),
    Column("牌匾编号", 20),
    Column("撤销日期", 12, DATE_FORMAT),
]

APPLICATION_TITLE = "人才驿站申报名单"
APPLICATION_COLUMNS = [
    Column("序号", 6),
    Column("申报编号", 16),
    Column("申报通知", 28),
    Column("驿站名称", 28),
    Column("类型", 14),
    Column("申报单位", 28),
    Column("统一社会信用代码", 22),
    Column("负责人", 10),
    Column("状态", 12),
    Column("提交时间", 18, "yyyy-mm-dd hh:mm"),
]


def _local(moment):
    """An aware datetime as a naive Shanghai time (xlsx has no time zones)."""
    from django.utils import timezone

    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def stations_export(stations, form, values):
    with translation.override("zh-hans"):
        rows = [
            [
                number,
                station.name,
                STATION_TYPE_LABELS.get(station.station_type, ""),
                station.host_unit.name,
                station.host_unit.credit_code,
                station.host_unit.get_verification_display(),
                station.get_status_display(),
                station.certified_on,
                station.plaque_number or "",
                station.revoked_on,
            ]
            for number, station in enumerate(stations, start=1)
        ]
        data = list_export(STATION_TITLE, STATION_COLUMNS, rows, filters=form.describe(values))
    return data, dated_filename(STATION_TITLE)


def applications_export(applications, form, values):
    with translation.override("zh-hans"):
        rows = [
            [
                number,
                application.number,
                application.call.title,
                application.station_name or application.station.name,
                STATION_TYPE_LABELS.get(application.station_type, ""),
                application.host_unit.name,
                application.host_unit.credit_code,
                application.leader_name,
                application.get_status_display(),
                _local(application.submitted_at),
            ]
            for number, application in enumerate(applications, start=1)
        ]
        data = list_export(
            APPLICATION_TITLE, APPLICATION_COLUMNS, rows, filters=form.describe(values)
        )
    return data, dated_filename(APPLICATION_TITLE)
