"""A station's import of its activities from an xlsx file (django-import-export; see
:mod:`assessments.imports` for the preview and confirm steps).

One row is one activity of the importing station. The columns (the first row names them; the
template from the portal has them, English names are accepted too):

=========================  =======================================================  ========
column                     what                                                     required
=========================  =======================================================  ========
活动日期                   2026-03-10, 2026/3/10, 2026年3月10日 or an Excel date    yes
活动名称                   title                                                    yes
活动类型                   交流对接, 引才聚才, 咨询服务, 能力提升, 休闲保健,         yes
                           成果转化 or 人才工作延伸
活动形式                   线下 (default) or 线上                                   no
活动地点                   place (an online activity: the platform)                 offline
合作单位                   partner organisations                                    no
服务人次                   person-times served, a whole number above 0              yes
其中高层次人才人次         of them high-level talents (default 0)                   no
活动简报                   a short report                                           yes
=========================  =======================================================  ========

All or nothing: one row with an error and nothing is imported, also at the confirm step.
Every activity arrives *waiting for acceptance* through its ``record`` transition (who
imported it, from which file), like an activity logged on the form.
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from stations.resources import (
    ChoiceWidget,
    ImportFileError,
    TextWidget,
    cell_text,
    header_key,
    parse_date,
)
from talentstation.dates import validate_not_in_future
from talentstation.workflow import perform

from .models import Activity, ActivityKind, ActivityMode


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = (
    Column("date", "活动日期", ("日期", "时间", "活动时间", "date"), required=True),
    Column("title", "活动名称", ("名称", "活动主题", "主题", "title"), required=True),
    Column("kind", "活动类型", ("类型", "类别", "活动类别", "kind", "type"), required=True),
    Column("mode", "活动形式", ("形式", "线上线下", "mode", "online or offline")),
    Column("place", "活动地点", ("地点", "place")),
    Column("partners", "合作单位", ("合作机构", "partner organisations", "partners")),
    Column(
        "person_times",
        "服务人次",
        ("人次", "参与人次", "服务人才人次", "person-times", "person times"),
        required=True,
    ),
    Column(
        "high_level_talents",
        "其中高层次人才人次",
        ("高层次人才人次", "高层次人才", "high-level talents"),
    ),
    Column("report", "活动简报", ("简报", "活动简介", "活动情况", "report"), required=True),
)
HEADER = {column.key: column.header for column in COLUMNS}

EXAMPLE_ROWS = [
    ["2026-03-10", "新能源产业专家交流会", "交流对接", "线下", "驿站会议室", "福州大学", 35, 6,
     "邀请高校专家与园区企业技术骨干开展交流对接。"],
    ["2026-04-18", "人才政策线上宣讲", "咨询服务", "线上", "腾讯会议", "", 60, 0,
     "解读高新区人才政策，在线答疑。"],
]  # fmt: skip


def sheet_row(number) -> int:
    """The spreadsheet's row of data row ``number`` (the header is row 1)."""
    return int(number) + 1


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        try:
            day = parse_date(value)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date: write it as 2026-03-10, 2026/3/10 or 2026年3月10日.")
                % {"value": cell_text(value)}
            ) from None
        if day is None:
            raise ValueError(_("Enter the date of the activity."))
        try:
            validate_not_in_future(day)
        except ValidationError:
            raise ValueError(_("The date %(date)s is in the future.") % {"date": day}) from None
        return day


class CountWidget(widgets.Widget):
    """A whole number of person-times; empty is ``default``."""

    def __init__(self, *, default=None, minimum=0, **kwargs):
        super().__init__(**kwargs)
        self.default, self.minimum = default, minimum

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        if not text:
            if self.default is None:
                raise ValueError(_("Enter the number of person-times."))
            return self.default
        if not text.isdigit() or int(text) < self.minimum:
            raise ValueError(
                _("“%(value)s” is not a whole number of at least %(min)d.")
                % {"value": text, "min": self.minimum}
            )
        return int(text)


class KindWidget(ChoiceWidget):
    def __init__(self, **kwargs):
        super().__init__(ActivityKind.choices, {}, **kwargs)

    def clean(self, value, row=None, **kwargs):
        labels = "、".join(str(label) for _value, label in ActivityKind.choices)
        try:
            kind = self.lookup(cell_text(value))
        except ValueError:
            kind = None
        if kind is None:
            raise ValueError(
                _("Unknown kind of activity “%(value)s”: use %(kinds)s.")
                % {"value": cell_text(value), "kinds": labels}
            )
        return kind


class ModeWidget(ChoiceWidget):
    def __init__(self, **kwargs):
        super().__init__(
            ActivityMode.choices,
            {"线下": ActivityMode.OFFLINE, "线上": ActivityMode.ONLINE},
            strip_suffixes=("活动",),
            **kwargs,
        )

    def clean(self, value, row=None, **kwargs):
        try:
            return self.lookup(cell_text(value)) or ActivityMode.OFFLINE
        except ValueError:
            raise ValueError(
                _("Unknown form “%(value)s”: use 线下 or 线上 (empty means 线下).")
                % {"value": cell_text(value)}
            ) from None


def _field(key, widget):
    return fields.Field(attribute=key, column_name=HEADER[key], widget=widget)


class ActivityImportResource(resources.ModelResource):
    """One row: one activity of the station given to :meth:`import_data` (``station=``)."""

    date = _field("date", DateWidget())
    title = _field("title", TextWidget())
    kind = _field("kind", KindWidget())
    mode = _field("mode", ModeWidget())
    place = _field("place", TextWidget())
    partners = _field("partners", TextWidget())
    person_times = _field("person_times", CountWidget(minimum=1))
    high_level_talents = _field("high_level_talents", CountWidget(default=0))
    report = _field("report", TextWidget())

    class Meta:
        model = Activity
        fields = tuple(column.key for column in COLUMNS)
        import_order = fields
        force_init_instance = True  # every row is a new activity
        use_transactions = True
        skip_unchanged = False
        report_skipped = False  # blank lines
        clean_model_instances = True

    def import_data(self, dataset, dry_run=False, **kwargs):
        # All or nothing, whoever calls: a transaction rolled back on any row error.
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def before_import(self, dataset, **kwargs):
        self._station = kwargs["station"]
        self._user = kwargs["user"]
        self._file_name = kwargs.get("file_name") or ""
        dataset.headers = canonical_headers(dataset.headers or [])

    def import_row(self, row, instance_loader, **kwargs):
        if all(cell_text(value) == "" for value in row.values()):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        row_result = super().import_row(row, instance_loader, **kwargs)
        error = row_result.validation_error
        if error is not None and hasattr(error, "error_dict"):
            # Name the columns of the file, not the model's fields, beside each error.
            by_column = {}
            for key, errors in error.error_dict.items():
                column = key if key == NON_FIELD_ERRORS else HEADER.get(key, key)
                by_column.setdefault(column, []).extend(errors)
            row_result.validation_error = ValidationError(by_column)
        return row_result

    def init_instance(self, row=None):
        return Activity(station=self._station)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, "status"], validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        """Every row is a new activity, recorded through the workflow."""
        reason = _("imported from the file %(file)s") % {"file": self._file_name or "xlsx"}
        perform(instance, "record", by=self._user, reason=reason)


def _header_map():
    mapping = {}
    for column in COLUMNS:
        for alias in (column.header, column.key, *column.aliases):
            mapping[header_key(alias)] = column
    return mapping


def canonical_headers(headers):
    """The file's headers with each known column under its name in :data:`COLUMNS`; a column
    missing or given twice makes the file unusable (:class:`ImportFileError`)."""
    mapping = _header_map()
    result, found = [], {}
    for header in headers:
        column = mapping.get(header_key(header))
        if column is None:
            result.append(header)  # another column (序号, 备注…): ignored
            continue
        found.setdefault(column.key, []).append(cell_text(header))
        result.append(column.header)
    twice = [names for names in found.values() if len(names) > 1]
    if twice:
        raise ImportFileError(
            _("These columns mean the same and appear more than once: %(columns)s.")
            % {"columns": "；".join("、".join(names) for names in twice)}
        )
    missing = [c.header for c in COLUMNS if c.required and c.key not in found]
    if missing:
        raise ImportFileError(
            _(
                "The file has no column %(missing)s. The first row must name the columns: "
                "%(expected)s."
            )
            % {"missing": "、".join(missing), "expected": "、".join(c.header for c in COLUMNS)}
        )
    return result
