"""The xlsx exports of staff lists in assessments, with the list's filters applied: the
district's log entries (the acceptance queue: activities or service records) and the results
of a closed cycle. A constant number of queries whatever the number of rows; the texts in
Chinese whatever the page's language."""

from django.utils import timezone, translation

from stations.documents import STATION_TYPE_LABELS
from talentstation.spreadsheets import DATE_FORMAT, Column, dated_filename, list_export

from .models import ReviewedEntry

ACTIVITY_TITLE = "人才驿站活动台账"
ACTIVITY_COLUMNS = [
    Column("序号", 6),
    Column("日期", 12, DATE_FORMAT),
    Column("驿站名称", 26),
    Column("设站单位", 26),
    Column("活动名称", 30),
    Column("活动类型", 12),
    Column("形式", 8),
    Column("地点", 18),
    Column("合作单位", 18),
    Column("服务人次", 10),
    Column("高层次人才人次", 10),
    Column("状态", 10),
    Column("登记时间", 18, "yyyy-mm-dd hh:mm"),
]

SERVICE_TITLE = "人才驿站服务记录"
SERVICE_COLUMNS = [
    Column("序号", 6),
    Column("日期", 12, DATE_FORMAT),
    Column("驿站名称", 26),
    Column("设站单位", 26),
    Column("服务类型", 14),
    Column("服务对象", 24),
    Column("服务人次", 10),
    Column("备注", 30),
    Column("状态", 10),
    Column("登记时间", 18, "yyyy-mm-dd hh:mm"),
]


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _queue_notes(form, values):
    """The filters applied; the queue shows the entries waiting for acceptance when no status
    is chosen, and says so."""
    notes = form.describe({k: v for k, v in values.items() if k != "entry"})
    if not values.get("status"):
        notes.insert(0, f"{form.fields['status'].label}：{ReviewedEntry.Status.SUBMITTED.label}")
    return notes


def _activity_row(number, entry):
    return [
        number,
        entry.date,
        entry.station.name,
        entry.station.host_unit.name,
        entry.title,
        entry.get_kind_display(),
        entry.get_mode_display(),
        entry.place,
        entry.partners,
        entry.person_times,
        entry.high_level_talents,
        entry.get_status_display(),
        _local(entry.recorded_at),
    ]


def _service_row(number, entry):
    return [
        number,
        entry.date,
        entry.station.name,
        entry.station.host_unit.name,
        entry.get_kind_display(),
        entry.served,
        entry.person_times,
        entry.note,
        entry.get_status_display(),
        _local(entry.recorded_at),
    ]


def queue_export(entries, form, values, *, services=False):
    title = SERVICE_TITLE if services else ACTIVITY_TITLE
    columns = SERVICE_COLUMNS if services else ACTIVITY_COLUMNS
    row = _service_row if services else _activity_row
    with translation.override("zh-hans"):
        rows = [row(number, entry) for number, entry in enumerate(entries, start=1)]
        data = list_export(title, columns, rows, filters=_queue_notes(form, values))
    return data, dated_filename(title)


def results_export(cycle, items, rows, pass_mark):
    """The results page of a closed cycle as xlsx: rank, station, unit, the item points, the
    final score and whether it is below the pass mark."""
    with translation.override("zh-hans"):
        title = f"{cycle}考核结果"
        columns = [
            Column("名次", 6),
            Column("驿站名称", 26),
            Column("设站单位", 26),
            Column("类型", 12),
            *[Column(item.title, 10, "0.00") for item in items],
            Column("最终得分", 10, "0.00"),
            Column("低于合格线", 10),
        ]
        values = [
            [
                row.rank,
                row.final.station.name,
                row.final.station.host_unit.name,
                STATION_TYPE_LABELS.get(row.final.station.station_type, ""),
                *row.points,
                row.final.score,
                "是" if row.below_pass_mark else "否",
            ]
            for row in rows
        ]
        notes = [f"合格线：{pass_mark}分"] if pass_mark is not None else []
        data = list_export(title, columns, values, filters=notes)
    return data, dated_filename(title)
