"""Admin of the funds part: awards (the payment recorded through the same form and service as
the portal's pay page) and the usage reports with their lines (read-only), accepted or
returned by the transition actions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentstation.admin_tools import HistoryAdmin, TransitionLogInline, transition_action
from talentstation.clients import client_key
from talentstation.forms_base import CleanTextAdminMixin
from talentstation.rules import Refused

from .. import funds, rules
from ..forms.funds import PayForm
from ..models import Award, UsageLine, UsageReport


@admin.register(Award)
class AwardAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = (
        "station",
        "amount_due",
        "status",
        "paid_on",
        "amount_paid",
        "payee_name",
        "report_due",
        "pay_link",
    )
    list_filter = ("status",)
    search_fields = ("station__name", "payee_name", "voucher_reference")
    list_select_related = ("station",)
    exclude = ("voucher_file",)
    readonly_fields = (
        "entry",
        "station",
        "amount_due",
        "status",
        "payee_name",
        "payee_credit_code",
        "paid_on",
        "amount_paid",
        "amount_reason",
        "voucher_reference",
        "voucher_link",
        "report_due",
        "paid_by",
        "created_at",
    )
    inlines = [TransitionLogInline]

    def has_add_permission(self, request, obj=None):
        return False  # awards come from the published ranking

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        pay = self.admin_site.admin_view(self.pay_view)
        return [path("<int:pk>/pay/", pay, name="awards_award_pay"), *super().get_urls()]

    @admin.display(description=gettext_lazy("payment"))
    def pay_link(self, obj):
        if obj.status != Award.Status.DUE:
            return "—"
        url = reverse("admin:awards_award_pay", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, Award.TRANSITION_LABELS["pay"])

    @admin.display(description=gettext_lazy("voucher"))
    def voucher_link(self, obj):
        if not obj.voucher_file:
            return "—"
        url = reverse("awards:award_voucher", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))

    def pay_view(self, request, pk):
        award = get_object_or_404(Award.objects.select_related("station__host_unit"), pk=pk)
        if not rules.pay_awards(request.user):
            raise PermissionDenied
        form = PayForm(
            request.POST or None, request.FILES or None, award=award, client=client_key(request)
        )
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if not k.endswith("_kept")}
            try:
                funds.pay(award, by=request.user, **data)
            except Refused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("The payment is recorded."))
                return redirect("admin:awards_award_change", award.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{Award.TRANSITION_LABELS['pay']} · {award.station}",
            "form": form,
            "opts": self.model._meta,
            "original": award,
        }
        return TemplateResponse(request, "awards/funds_admin_pay.html", context)


class UsageLineInline(CleanTextAdminMixin, admin.TabularInline):
    model = UsageLine
    extra = 0
    can_delete = False
    fields = ("purpose", "description", "spent_on", "amount", "receipt_link")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("receipt"))
    def receipt_link(self, obj):
        if not obj.receipt:
            return "—"
        url = reverse("awards:usage_line_receipt", args=[obj.report_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))


@admin.register(UsageReport)
class UsageReportAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("award", "status", "report_due", "submitted_at", "late")
    list_filter = ("status",)
    search_fields = ("award__station__name",)
    list_select_related = ("award__station",)
    fields = (
        "award",
        "status",
        "work_summary",
        "attachment_link",
        "submitted_at",
        "decided_at",
        "decided_by",
        "return_reason",
    )
    readonly_fields = fields
    inlines = [UsageLineInline, TransitionLogInline]
    actions = [
        transition_action(UsageReport, "accept"),
        transition_action(UsageReport, "return_report"),
    ]

    def has_add_permission(self, request, obj=None):
        return False  # a report opens when its award is paid

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("usage report due"), ordering="award__report_due")
    def report_due(self, obj):
        return obj.award.report_due

    @admin.display(description=gettext_lazy("late"), boolean=True)
    def late(self, obj):
        return obj.is_late()

    @admin.display(description=gettext_lazy("signed report"))
    def attachment_link(self, obj):
        if not obj.attachment:
            return "—"
        url = reverse("awards:usage_report_attachment", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))
