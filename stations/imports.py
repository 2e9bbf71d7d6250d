"""Admin side of the legacy station import (see :mod:`stations.resources` for the rules).

Staff open 「驿站」 in admin, click 「导入」, choose an xlsx or csv file and submit: the file is
checked in a dry run and shown as a preview, with every row's errors beside it. Only a file
without errors can be confirmed, and confirming imports every row or, if anything went wrong
meanwhile, none.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from import_export.admin import ImportMixin
from import_export.formats import base_formats

from talentstation.rules import is_staff

from .resources import COLUMNS, StationImportResource


class CSV(base_formats.CSV):
    """CSV in UTF-8 (with or without BOM) or, as Chinese Excel saves it, GB 18030 / GBK."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                in_stream = in_stream.decode("gb18030")
        return super().create_dataset(in_stream, **kwargs)


EXAMPLE_ROWS = [
    [
        "福州示例科技有限公司",
        "91350100MA0000001P",
        "示例科技人才驿站",
        "行业型",
        "福州市闽侯县高新大道1号",
        "榕高新人才驿站〔2024〕001号",
        "2024-07-02",
        "已认定",
        "张三",
        "13800138000",
        "hr@example.com",
    ],
]


class LegacyStationImportMixin(ImportMixin):
    """Import legacy stations into the station admin (bureau staff only)."""

    resource_classes = [StationImportResource]
    import_formats = [base_formats.XLSX, CSV]
    import_template_name = "admin/stations/station/legacy_import.html"
    import_error_display = ("message",)
    # In the default storage (MEDIA_ROOT or the S3 bucket; never served directly), so the
    # confirm step finds the file whichever app server answers it.
    tmp_storage_class = "import_export.tmp_storages.MediaStorage"

    def has_import_permission(self, request):
        return is_staff(request.user) and self.has_add_permission(request)

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/example/",
                self.admin_site.admin_view(self.import_example),
                name="{}_{}_import_example".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_example(self, request):
        """An xlsx with the columns and one example row, to fill in."""
        from django.core.exceptions import PermissionDenied

        from talentstation.spreadsheets import XLSX_CONTENT_TYPE, import_template

        if not self.has_import_permission(request):
            raise PermissionDenied
        content = import_template(
            "历史驿站",
            [column.header for column in COLUMNS],
            EXAMPLE_ROWS,
            (28, 22, 24, 10, 30, 30, 12, 10, 10, 14, 22),
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename="历史驿站导入模板.xlsx"
        )
        return response

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["legacy_required_columns"] = "、".join(c.header for c in COLUMNS if c.required)
        return context

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and "confirm_form" not in context:
            # Nothing can be confirmed: do not keep the uploaded file.
            upload = request.FILES.get("import_file")
            name = getattr(upload, "tmp_storage_name", None)
            if name:
                self.get_tmp_storage_class()(
                    name=name, **self.get_tmp_storage_class_kwargs()
                ).remove()
        return response

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Something changed between the preview and the confirmation (e.g. a plaque
            # number was issued meanwhile): the import was rolled back as a whole.
            messages.error(
                request,
                _(
                    "Nothing was imported: the file has errors now (something changed since the "
                    "preview). Upload it again to see them."
                ),
            )
            return HttpResponseRedirect(
                reverse(
                    "admin:{}_{}_import".format(*self.get_model_info()),
                    current_app=self.admin_site.name,
                )
            )
        response = super().process_result(result, request)
        for row, note in getattr(result, "legacy_warnings", []):
            messages.warning(request, _("Row %(row)s: %(note)s") % {"row": row, "note": note})
        return response

    def add_success_message(self, result, request):
        messages.success(
            request,
            _("Imported %(stations)d legacy station(s); %(units)d new host unit(s) created.")
            % {
                "stations": result.totals["new"],
                "units": getattr(result, "legacy_units_created", 0),
            },
        )
