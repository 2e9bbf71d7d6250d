"""Bulk import of legacy stations: those certified before the portal existed.

Bureau staff upload an xlsx or csv file in admin (django-import-export; see
:mod:`stations.imports` for the admin side). One row is one station with its host unit:

=================  ==========================================================  ==========
column             what                                                        required
=================  ==========================================================  ==========
设站单位名称       the host unit's name (needed when the unit is new)          yes
统一社会信用代码   the host unit's credit code (GB 32100-2015)                 yes
驿站名称           station name                                                yes
类型               行业型 / 创业型 / 服务型 / 综合型 (or the English values)   yes
坐落地址           address                                                     no
牌匾编号           plaque number, e.g. 榕高新人才驿站〔2024〕001号             yes
认定日期           2024-07-02, 2024/7/2, 2024年7月2日 or an Excel date         yes
状态               已认定 (default) / 整改中 / 已撤销                          no
联系人, 联系电话,  the contact of a *new* unit; an existing unit is never      no
联系邮箱           changed by the import
=================  ==========================================================  ==========

English headers (``unit name``, ``credit code``, ``station name``, ``type``, ``address``,
``plaque number``, ``certified on``, ``status``, ``contact person``, ``contact mobile``,
``contact e-mail``) are accepted too.

Rules:

* The import is all-or-nothing: one row with an error and nothing is imported (the resource
  always runs in a transaction and rolls back on validation errors, also at the confirm step).
* Host units are found by their normalised credit code. A code with a wrong format is a row
  error; a code whose check character does not match is accepted as for a registration: the new
  unit is *unconfirmed* (a to-do item for bureau staff) and the row gets a warning. An existing
  unit is reused unchanged. New units are *not verified* (no licence on file).
* The station enters the portal through its ``import_legacy`` transition (run by
  :func:`talentstation.workflow.perform`, which records who imported it from which file) in its
  status (certified, under rectification or revoked) with its certification date and plaque
  number. A plaque number must be unique in the file
  and in the portal; once imported it is reserved: ``next_plaque_number`` skips numbers held by
  any station. Numbers in the pattern of the policy settings are written exactly as the
  generator writes them (brackets 〔〕, zero-padded running number), so 〔2024〕1号 and
  [2024]001号 both become 〔2024〕001号.
"""

import datetime
import re
import string
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from talentstation import credit_code as credit_codes
from talentstation.dates import validate_not_in_future
from talentstation.forms_base import describe_removed, strip_invisible
from talentstation.models import PolicyVersion
from talentstation.models.users import normalise_mobile
from talentstation.workflow import perform

from .models import HostUnit, Station, StationType

IMPORT_REASON = "历史数据导入"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = (
    Column(
        "unit_name",
        "设站单位名称",
        ("设站单位", "单位名称", "报送单位", "报送单位名称", "unit name", "unit", "host unit"),
        required=True,
    ),
    Column(
        "credit_code",
        "统一社会信用代码",
        ("社会信用代码", "信用代码", "credit code", "unified social credit code"),
        required=True,
    ),
    Column("name", "驿站名称", ("人才驿站名称", "station name", "station"), required=True),
    Column("station_type", "类型", ("驿站类型", "type", "station type"), required=True),
    Column("address", "坐落地址", ("地址", "驿站地址", "address")),
    Column("plaque_number", "牌匾编号", ("牌匾号", "plaque number", "plaque"), required=True),
    Column(
        "certified_on",
        "认定日期",
        ("认定时间", "certified on", "certification date", "date certified"),
        required=True,
    ),
    Column("status", "状态", ("驿站状态", "status")),
    Column("contact_name", "联系人", ("contact person", "contact name", "contact")),
    Column(
        "contact_mobile",
        "联系电话",
        ("联系人电话", "联系人手机", "联系手机", "手机", "手机号码", "contact mobile", "mobile"),
    ),
    Column(
        "contact_email",
        "联系邮箱",
        ("电子邮箱", "邮箱", "contact e-mail", "contact email", "e-mail"),
    ),
)
HEADER = {column.key: column.header for column in COLUMNS}
STATION_STATES = (Station.Status.CERTIFIED, Station.Status.RECTIFYING, Station.Status.REVOKED)

_INLINE_STYLE = re.compile(r' style="[^"]*"')
_HEADER_NOISE = re.compile(r"[（(](?:必填|选填|可选|required|optional)[)）]|[\s*＊_\-:：]+")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (e.g. a required column is missing)."""


def header_key(value) -> str:
    return _HEADER_NOISE.sub("", "" if value is None else str(value)).casefold()


def _header_map():
    mapping = {}
    for column in COLUMNS:
        for alias in (column.header, column.key, *column.aliases):
            mapping[header_key(alias)] = column
    return mapping


def cell_text(value) -> str:
    """A cell as text: whitespace collapsed, 123.0 read as 123, None as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def sheet_row(row_number) -> int:
    """The row as the spreadsheet numbers it: data row 1 is below the header, on row 2."""
    return int(row_number) + 1


# --- widgets: each raises ValueError with a message for the person who fixes the file ---------


class TextWidget(widgets.CharWidget):
    """A text cell; invisible characters (control, text-direction, zero-width) make the row an
    error that names them, as the forms do."""

    def clean(self, value, row=None, **kwargs):
        text, removed = strip_invisible(cell_text(value))
        if removed:
            raise ValueError(
                _("This cell contains invisible characters: %(removed)s. Remove them in the file.")
                % {"removed": describe_removed(removed)}
            )
        return text


def _alias_key(value) -> str:
    return "".join(str(value).split()).casefold()


class ChoiceWidget(widgets.Widget):
    """A choice given by its value, its label (in Chinese or English) or a usual short name."""

    def __init__(self, choices, extra_aliases, *, strip_suffixes=(), **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.extra_aliases = extra_aliases
        self.strip_suffixes = strip_suffixes

    def aliases(self):
        result = {}
        for value, label in self.choices:
            result[_alias_key(value)] = value
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    result[_alias_key(label)] = value
        for alias, value in self.extra_aliases.items():
            result[_alias_key(alias)] = value
        return result

    def lookup(self, text):
        """The value for ``text``, None if empty; ValueError if unknown."""
        key = _alias_key(text)
        if not key:
            return None
        aliases = self.aliases()
        candidates = [key]
        for suffix in self.strip_suffixes:
            if key.endswith(suffix) and len(key) > len(suffix):
                candidates.append(key.removesuffix(suffix))
        for candidate in candidates:
            if candidate in aliases:
                return aliases[candidate]
        raise ValueError(text)

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class StationTypeWidget(ChoiceWidget):
    def __init__(self, **kwargs):
        super().__init__(
            StationType.choices,
            {
                "行业型": StationType.INDUSTRY,
                "产业型": StationType.INDUSTRY,
                "行业型（产业型）": StationType.INDUSTRY,
                "行业型(产业型)": StationType.INDUSTRY,
                "创业型": StationType.ENTREPRENEURSHIP,
                "服务型": StationType.SERVICE,
                "综合型": StationType.COMPREHENSIVE,
            },
            strip_suffixes=("人才驿站", "驿站", "station"),
            **kwargs,
        )

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(_("Enter the station type: 行业型, 创业型, 服务型 or 综合型."))
        try:
            return self.lookup(text)
        except ValueError:
            raise ValueError(
                _("Unknown station type “%(value)s”: use 行业型, 创业型, 服务型 or 综合型.")
                % {"value": text}
            ) from None


class StatusWidget(ChoiceWidget):
    """已认定 (default when empty), 整改中 or 已撤销."""

    def __init__(self, **kwargs):
        S = Station.Status
        super().__init__(
            [(value, label) for value, label in S.choices if value in STATION_STATES],
            {
                "认定": S.CERTIFIED,
                "已认定": S.CERTIFIED,
                "整改": S.RECTIFYING,
                "整改中": S.RECTIFYING,
                "限期整改": S.RECTIFYING,
                "rectification": S.RECTIFYING,
                "撤销": S.REVOKED,
                "已撤销": S.REVOKED,
                "撤牌": S.REVOKED,
                "已撤牌": S.REVOKED,
            },
            **kwargs,
        )

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        try:
            return self.lookup(text) or Station.Status.CERTIFIED
        except ValueError:
            raise ValueError(
                _("Unknown status “%(value)s”: use 已认定, 整改中 or 已撤销 (empty means 已认定).")
                % {"value": text}
            ) from None


_DATE_FORMATS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TIME_OF_DAY = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value):
    """A date from an Excel date cell, an Excel serial number or 2024-07-02, 2024/7/2,
    2024.7.2, 20240702, 2024年7月2日; None if empty; ValueError if not a date."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial day number (1954–2119)
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise ValueError(value)
    text = str(value).translate(_FULL_WIDTH_DIGITS).replace("\u3000", " ").strip()
    if not text:
        return None
    text = _TIME_OF_DAY.sub("", text).strip()
    for pattern in _DATE_FORMATS:
        if match := pattern.match(text):
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)  # ValueError for 2024-02-30
    raise ValueError(value)


class LegacyDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        try:
            day = parse_date(value)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date: write it as 2024-07-02, 2024/7/2 or 2024年7月2日.")
                % {"value": cell_text(value)}
            ) from None
        if day is None:
            raise ValueError(_("Enter the date of certification."))
        try:
            validate_not_in_future(day)
        except ValidationError:
            raise ValueError(
                _("The date of certification %(date)s is in the future.") % {"date": day}
            ) from None
        return day

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


_OPENING = "〔[［(（【﹝"
_CLOSING = "〕]］)）】﹞"
_FOLD = str.maketrans(
    _OPENING + _CLOSING + "０１２３４５６７８９",
    "〔" * len(_OPENING) + "〕" * len(_CLOSING) + "0123456789",
)


def _pattern_regex(pattern):
    parts = []
    seen = set()
    for literal, field_name, _spec, _conversion in string.Formatter().parse(pattern):
        parts.append(re.escape(literal.translate(_FOLD)))
        if field_name is None:
            continue
        if field_name not in ("year", "seq") or field_name in seen:
            return None
        seen.add(field_name)
        parts.append(r"(?P<year>\d{4})" if field_name == "year" else r"(?P<seq>\d{1,6})")
    return re.compile("^" + "".join(parts) + "$") if "seq" in seen else None


def canonical_plaque(text, pattern):
    """``text`` as the number generator writes it if it follows ``pattern`` (whatever brackets
    and zero padding were typed), else ``text`` unchanged. Returns (number, year or None)."""
    regex = _pattern_regex(pattern) if pattern else None
    match = regex.match(text.translate(_FOLD)) if regex else None
    if match is None:
        return text, None
    values = {"seq": int(match.group("seq"))}
    if "year" in match.groupdict():
        values["year"] = int(match.group("year"))
    return pattern.format(**values), values.get("year")


class PlaqueWidget(widgets.Widget):
    pattern = None  # set per import from the policy settings

    def clean(self, value, row=None, **kwargs):
        text = "".join(cell_text(value).split())
        if not text:
            raise ValueError(_("Enter the plaque number: every certified station has one."))
        return canonical_plaque(text, self.pattern)[0]


# --- the resource --------------------------------------------------------------------------


class StationImportResource(resources.ModelResource):
    """One row: one legacy station with its host unit (found or created by credit code)."""

    unit_name = fields.Field(
        attribute="host_unit__name", column_name=HEADER["unit_name"], readonly=True
    )
    credit_code = fields.Field(
        attribute="host_unit__credit_code", column_name=HEADER["credit_code"], readonly=True
    )
    name = fields.Field(attribute="name", column_name=HEADER["name"], widget=TextWidget())
    station_type = fields.Field(
        attribute="station_type", column_name=HEADER["station_type"], widget=StationTypeWidget()
    )
    address = fields.Field(attribute="address", column_name=HEADER["address"], widget=TextWidget())
    plaque_number = fields.Field(
        attribute="plaque_number", column_name=HEADER["plaque_number"], widget=PlaqueWidget()
    )
    certified_on = fields.Field(
        attribute="certified_on", column_name=HEADER["certified_on"], widget=LegacyDateWidget()
    )
    # The status is set when the station is created (init_instance): the state field is
    # protected against assignment.
    status = fields.Field(
        attribute="status", column_name=HEADER["status"], widget=StatusWidget(), readonly=True
    )
    contact_name = fields.Field(
        attribute="host_unit__contact_name", column_name=HEADER["contact_name"], readonly=True
    )
    contact_mobile = fields.Field(
        attribute="host_unit__contact_mobile",
        column_name=HEADER["contact_mobile"],
        readonly=True,
    )
    contact_email = fields.Field(
        attribute="host_unit__contact_email", column_name=HEADER["contact_email"], readonly=True
    )

    class Meta:
        model = Station
        fields = tuple(column.key for column in COLUMNS)
        import_order = tuple(column.key for column in COLUMNS)
        force_init_instance = True  # every row is a new station
        use_transactions = True
        skip_unchanged = False
        report_skipped = False  # blank lines
        clean_model_instances = True

    # -- the whole file ---------------------------------------------------------------------

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        # All or nothing, whoever calls: always a transaction, rolled back on any row error.
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def before_import(self, dataset, **kwargs):
        self._file_broken = True
        self._plaques = {}
        self._warnings = []
        self._units_created = []
        self._user = kwargs.get("user")
        self._file_name = kwargs.get("file_name") or ""
        self.fields["plaque_number"].widget.pattern = PolicyVersion.current().plaque_number_pattern
        dataset.headers = self._canonical_headers(dataset.headers or [])
        self._file_broken = False

    def _canonical_headers(self, headers):
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
                % {
                    "missing": "、".join(missing),
                    "expected": "、".join(c.header for c in COLUMNS),
                }
            )
        return result

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.legacy_warnings = list(getattr(self, "_warnings", []))
        result.legacy_units_created = len(getattr(self, "_units_created", []))

    # -- one row ------------------------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        blank = all(cell_text(value) == "" for value in row.values())
        if blank or getattr(self, "_file_broken", False):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        self._row = {"status": Station.Status.CERTIFIED, "status_error": None, "notes": []}
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.diff:
            # The preview's diff marks changes with inline styles, which the CSP refuses;
            # import_export's import.css colours <ins> already.
            row_result.diff = [
                mark_safe(_INLINE_STYLE.sub("", html))  # noqa: S308 - escaped by diff_match_patch
                for html in row_result.diff
            ]
        error = row_result.validation_error
        if error is not None and hasattr(error, "error_dict"):
            # Name the columns of the file, not the model fields, beside each error.
            by_column = {}
            for key, errors in error.error_dict.items():
                by_column.setdefault(self._column_for(key), []).extend(errors)
            row_result.validation_error = ValidationError(by_column)
        return row_result

    def _column_for(self, key):
        if key == NON_FIELD_ERRORS:
            return key
        return HEADER.get(key, key)

    def init_instance(self, row=None):
        try:
            self._row["status"] = self.fields["status"].widget.clean(
                (row or {}).get(HEADER["status"])
            )
        except ValueError as error:
            self._row["status_error"] = str(error)
        # A new station starts "applying"; its import_legacy transition (do_instance_save)
        # puts it into the status of the file.
        return Station()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        notes = self._row["notes"]

        def add(key, message):
            errors.setdefault(key, []).append(ValidationError(message))

        if self._row["status_error"]:
            add(HEADER["status"], self._row["status_error"])
        if "plaque_number" not in errors:
            self._check_plaque(instance, sheet_row(kwargs.get("row_number", 0)), add, notes)
        unit = self._host_unit(row, add, notes)
        if unit is not None:
            instance.host_unit = unit
            if unit.pk and instance.name:
                same = Station.objects.filter(host_unit=unit, name=instance.name).first()
                if same is not None:
                    notes.append(
                        _(
                            "The unit “%(unit)s” already has a station named “%(name)s” "
                            "(%(status)s); this row adds another one."
                        )
                        % {"unit": unit, "name": same.name, "status": same.get_status_display()}
                    )
        if errors:
            raise ValidationError(errors)

    def _check_plaque(self, instance, row, add, notes):
        number = instance.plaque_number
        earlier = self._plaques.setdefault(number, row)
        if earlier != row:
            add(
                "plaque_number",
                _("The plaque number %(number)s is also on row %(row)d of the file.")
                % {"number": number, "row": earlier},
            )
            return
        holder = Station.objects.filter(plaque_number=number).first()
        if holder is not None:
            add(
                "plaque_number",
                _("The plaque number %(number)s is already held by the station “%(station)s”.")
                % {"number": number, "station": holder},
            )
            return
        _number, year = canonical_plaque(number, self.fields["plaque_number"].widget.pattern)
        if year and instance.certified_on and year != instance.certified_on.year:
            notes.append(
                _(
                    "The plaque number %(number)s is of %(plaque_year)d, but the station was "
                    "certified in %(year)d."
                )
                % {"number": number, "plaque_year": year, "year": instance.certified_on.year}
            )

    def _host_unit(self, row, add, notes):
        """The row's host unit: an existing one (unchanged) or a new, unsaved one; None if the
        row's unit data are wrong (the errors are added)."""
        column = HEADER["credit_code"]
        name = cell_text(row.get(HEADER["unit_name"]))
        code = credit_codes.normalize(cell_text(row.get(column)))
        if not code:
            add(column, _("Enter the unit's unified social credit code."))
            return None
        try:
            checked = credit_codes.check(code)
        except ValidationError as error:
            for message in error.messages:
                add(column, message)
            return None
        unit = HostUnit.objects.filter(credit_code=checked.code).first()
        if unit is not None:
            created_here = unit.pk in self._units_created
            if name and name != unit.name:
                message = (
                    _(
                        "The credit code %(code)s is given to “%(unit)s” on an earlier row; the "
                        "name “%(name)s” on this row is not used."
                    )
                    if created_here
                    else _(
                        "The credit code %(code)s belongs to “%(unit)s” in the portal; the "
                        "name “%(name)s” in the file is not used."
                    )
                )
                notes.append(message % {"code": unit.credit_code, "unit": unit, "name": name})
            if unit.code_unconfirmed:
                notes.append(
                    _("The credit code %(code)s of “%(unit)s” is still unconfirmed (to-do list).")
                    % {"code": unit.credit_code, "unit": unit}
                )
            return unit
        if not name:
            add(HEADER["unit_name"], _("The unit is new to the portal: enter its name."))
            return None
        unit = HostUnit(
            name=name,
            credit_code=checked.code,
            contact_name=cell_text(row.get(HEADER["contact_name"])),
            contact_mobile=self._mobile(row.get(HEADER["contact_mobile"])),
            contact_email=cell_text(row.get(HEADER["contact_email"])),
        )
        # Legacy files seldom hold the contact; it is left empty until staff add it.
        optional = [
            f for f in ("contact_name", "contact_mobile", "contact_email") if not getattr(unit, f)
        ]
        try:
            unit.full_clean(exclude=[*optional, "code_state", "verification"])
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                for message in messages:
                    add(HEADER.get(key if key != "name" else "unit_name", key), message)
            return None
        if not checked.confirmed_by_checksum:
            notes.append(
                _(
                    "The check character of the credit code %(code)s does not match: the unit "
                    "“%(unit)s” is created as unconfirmed; confirm its code (to-do list) once the "
                    "business licence has been checked."
                )
                % {"code": checked.code, "unit": name}
            )
        return unit

    @staticmethod
    def _mobile(value):
        return normalise_mobile(cell_text(value))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The host unit may be new (saved just before the station) and the status is set at
        # creation: neither is validated as a plain field here.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, "host_unit", "status"], validate_unique=validate_unique
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        unit = instance.host_unit
        if unit.pk is None:
            unit.save()
            self._units_created.append(unit.pk)
        instance.host_unit = unit

    def do_instance_save(self, instance, is_create):
        """Every row is a new station: it enters the portal through its import_legacy
        transition, which saves it and records who imported it from which file."""
        reason = IMPORT_REASON + (f"（{self._file_name}）" if self._file_name else "")
        perform(instance, "import_legacy", by=self._user, reason=reason, status=self._row["status"])

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type == RowResult.IMPORT_TYPE_NEW:
            number = sheet_row(kwargs.get("row_number", 0))
            self._warnings.extend((number, note) for note in self._row["notes"])
