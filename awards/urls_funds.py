"""URLs of the funds pages (included by awards/urls.py)."""

from django.urls import path

from .views import funds

urlpatterns = [
    path("funds/awards/", funds.award_list, name="award_list"),
    path("funds/awards/export.xlsx", funds.award_list_xlsx, name="award_list_xlsx"),
    path("funds/awards/<int:pk>/pay/", funds.award_pay, name="award_pay"),
    path("funds/awards/<int:pk>/voucher/", funds.award_voucher, name="award_voucher"),
    path("funds/usage-reports/", funds.report_list, name="usage_report_list"),
    path("funds/usage-reports/<int:pk>/", funds.usage_report, name="usage_report"),
    path("funds/usage-reports/<int:pk>/edit/", funds.report_edit, name="usage_report_edit"),
    path("funds/usage-reports/<int:pk>/submit/", funds.report_submit, name="usage_report_submit"),
    path(
        "funds/usage-reports/<int:pk>/attachment/",
        funds.report_attachment,
        name="usage_report_attachment",
    ),
    path("funds/usage-reports/<int:pk>/lines/add/", funds.line_add, name="usage_line_add"),
    path(
        "funds/usage-reports/<int:pk>/lines/<int:line_pk>/delete/",
        funds.line_delete,
        name="usage_line_delete",
    ),
    path(
        "funds/usage-reports/<int:pk>/lines/<int:line_pk>/receipt/",
        funds.line_receipt,
        name="usage_line_receipt",
    ),
]
