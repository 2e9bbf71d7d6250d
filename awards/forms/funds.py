"""Forms of the award money: the payment (staff), the usage report's text and signed report,
and one spending line (the unit)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from talentstation import credit_code
from talentstation.dates import today, validate_not_in_future
from talentstation.forms_base import PortalForm, PortalModelForm
from talentstation.uploads import KeepUploadsMixin, UploadField

from .. import funds
from ..models import UsageLine, UsageReport

FILE_HELP = _("PDF, JPG or PNG.")
DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


def _money_field(label, **kwargs):
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=Decimal("0.01"), **kwargs
    )


class PayForm(KeepUploadsMixin, PortalForm):
    """Bureau staff record the one payment of an award (payee prefilled from the station's
    certifying application)."""

    keep_uploads = ("voucher_file",)

    payee_name = forms.CharField(label=_("paid to"), max_length=200)
    payee_credit_code = forms.CharField(
        label=_("payee's unified social credit code"), max_length=18, min_length=18
    )
    paid_on = forms.DateField(
        label=_("payment date"),
        validators=[validate_not_in_future],
        widget=forms.DateInput(**DATE_WIDGET),
    )
    amount = _money_field(_("amount paid (yuan)"))
    reason = forms.CharField(
        label=_("why the amount differs from the award"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when the amount paid differs from the award."),
    )
    voucher_reference = forms.CharField(label=_("voucher reference"), max_length=100)
    voucher_file = UploadField(label=_("voucher"), help_text=FILE_HELP)

    def __init__(self, *args, award, **kwargs):
        self.award = award
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            name, code = funds.payee_of(award.station)
            self.initial.update(
                payee_name=name, payee_credit_code=code, paid_on=today(), amount=award.amount_due
            )
        self.fields["paid_on"].widget.attrs["max"] = today().isoformat()

    def clean_payee_credit_code(self):
        code = credit_code.normalize(self.cleaned_data["payee_credit_code"])
        credit_code.validate_credit_code(code)
        return code

    def clean(self):
        data = super().clean()
        amount = data.get("amount")
        if (
            amount is not None
            and amount != self.award.amount_due
            and not (data.get("reason") or "").strip()
        ):
            self.add_error(
                "reason",
                _(
                    "The amount paid (%(paid)s yuan) differs from the award (%(due)s yuan): "
                    "give the reason."
                )
                % {"paid": amount, "due": self.award.amount_due},
            )
        return data


class UsageReportForm(KeepUploadsMixin, PortalModelForm):
    """The unit's text of the station's work and the signed report."""

    keep_uploads = ("attachment",)

    attachment = UploadField(
        label=_("signed report"),
        required=False,
        help_text=_("The report signed and sealed by the unit: PDF, JPG or PNG."),
    )

    class Meta:
        model = UsageReport
        fields = ["work_summary", "attachment"]
        widgets = {"work_summary": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_summary"].help_text = _(
            "What the station did with the award: activities, services, results. At most "
            "%(count)s characters."
        ) % {"count": self.fields["work_summary"].max_length}


class UsageLineForm(KeepUploadsMixin, PortalModelForm):
    """One spending line; all lines together may total no more than the amount paid."""

    keep_uploads = ("receipt",)

    receipt = UploadField(label=_("receipt"), help_text=FILE_HELP)
    amount = _money_field(_("amount (yuan)"))

    class Meta:
        model = UsageLine
        fields = ["purpose", "description", "spent_on", "amount", "receipt"]
        widgets = {"spent_on": forms.DateInput(**DATE_WIDGET)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spent_on"].required = True
        self.fields["spent_on"].validators.append(validate_not_in_future)
        self.fields["spent_on"].widget.attrs["max"] = today().isoformat()

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        report = self.instance.report
        total = report.spent_total() + amount
        paid = report.award.amount_paid or Decimal("0.00")
        if total > paid:
            raise forms.ValidationError(funds.over_award_message(total, paid))
        return amount
