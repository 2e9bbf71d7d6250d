"""The station's activity import, preview then confirm (the rows' rules are in
:mod:`assessments.resources`).

The station downloads the xlsx template, fills it in and uploads it: :func:`preview` checks
every row in a dry run (nothing is saved) and keeps the file in the default storage (under
``MEDIA_ROOT`` or in the S3 bucket; never served) with a signed token naming the station and
the user; when no row has an error the page offers to confirm, and :func:`confirm` imports
every row or, if anything changed meanwhile, none.
"""

from dataclasses import dataclass, field

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX
from import_export.tmp_storages import MediaStorage

from stations.resources import ImportFileError
from talentstation.i18n import label_value
from talentstation.rules import Refused, refuse_unless
from talentstation.spreadsheets import import_template

from . import rules
from .resources import COLUMNS, EXAMPLE_ROWS, ActivityImportResource, canonical_headers, sheet_row

IMPORT_SALT = "assessments.activity-import"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 3600
TEMPLATE_NAME = "驿站活动导入模板.xlsx"


def template_xlsx() -> bytes:
    """The template: the columns (required ones marked) and two example rows to replace."""
    return import_template(
        "活动记录",
        [column.header for column in COLUMNS],
        EXAMPLE_ROWS,
        (12, 28, 12, 10, 20, 22, 10, 18, 40),
        header_colours=["A4161A" if column.required else "000000" for column in COLUMNS],
    )


@dataclass
class Preview:
    """What a dry run found: rows to import, or the errors per spreadsheet row."""

    rows: list = field(default_factory=list)  # (sheet row, Activity) of the rows to import
    errors: list = field(default_factory=list)  # (sheet row, [message]) of the rows in error
    file_error: str = ""
    token: str = ""

    @property
    def importable(self):
        return bool(self.rows) and not self.errors and not self.file_error


def _dataset(content):
    try:
        dataset = XLSX().create_dataset(content)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(_("The file cannot be read as an Excel (.xlsx) file.")) from error
    dataset.headers = canonical_headers(dataset.headers or [])
    return dataset


def _run(station, content, *, by, dry_run, file_name=""):
    resource = ActivityImportResource()
    return resource.import_data(
        _dataset(content),
        dry_run=dry_run,
        raise_errors=False,
        station=station,
        user=by,
        file_name=file_name,
    )


def _messages(invalid_row):
    messages = []
    for column, errors in invalid_row.error_dict.items():
        for message in errors:
            messages.append(message if column == "__all__" else label_value(column, message))
    return messages


def _errors(result):
    errors = [(sheet_row(row.number), _messages(row)) for row in result.invalid_rows]
    for number, row_errors in result.row_errors():
        errors.append((sheet_row(number), [str(error.error) for error in row_errors]))
    errors += [(None, [str(error.error)]) for error in result.base_errors]
    return sorted(errors, key=lambda item: item[0] or 0)


def preview(station, upload, *, by) -> Preview:
    """Check the file in a dry run; keep it for the confirmation when it can be imported."""
    refuse_unless(rules.import_activities, by, station)
    content = upload.read()
    try:
        result = _run(station, content, by=by, dry_run=True, file_name=upload.name)
    except ImportFileError as error:
        return Preview(file_error=str(error))
    found = Preview(errors=_errors(result))
    found.rows = [
        (sheet_row(number), row.instance)
        for number, row in enumerate(result.rows, 1)
        if row.import_type == row.IMPORT_TYPE_NEW
    ]
    if not found.rows and not found.errors:
        found.file_error = _("The file has no activity rows below the column names.")
    if found.importable:
        storage = MediaStorage()
        storage.save(content)
        found.token = signing.dumps(
            {"name": storage.name, "station": station.pk, "user": by.pk, "file": upload.name},
            salt=IMPORT_SALT,
        )
    return found


def confirm(station, token, *, by) -> int:
    """Import the previewed file: every row, or (on any error now) none. Returns the count."""
    refuse_unless(rules.import_activities, by, station)
    try:
        ref = signing.loads(token, salt=IMPORT_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise Refused(_("The preview has expired: upload the file again.")) from None
    if ref.get("station") != station.pk or ref.get("user") != by.pk:
        raise Refused(_("The preview has expired: upload the file again."))
    storage = MediaStorage(name=ref["name"])
    try:
        content = storage.read()
    except OSError:
        raise Refused(_("The preview has expired: upload the file again.")) from None
    with transaction.atomic():
        result = _run(station, content, by=by, dry_run=False, file_name=ref.get("file", ""))
        if result.has_errors() or result.has_validation_errors():
            raise Refused(
                _(
                    "Nothing was imported: the file has errors now (something changed since the "
                    "preview). Upload it again to see them."
                )
            )
    storage.remove()
    return result.totals["new"]
