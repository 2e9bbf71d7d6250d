from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .forms_base import PortalModelForm
from .models import Objection, PublicityItem
from .ratelimit import RateLimitedFormMixin
from .uploads import KeepUploadsMixin, UploadField
from .widgets import OnePassSelect

DUPLICATE = _(
    "This objection has already been received (the same entry, contact and reason): it needs "
    "to be sent only once. Bureau staff will investigate it and contact you."
)


class ObjectionForm(KeepUploadsMixin, RateLimitedFormMixin, PortalModelForm):
    """An online objection: real name and contact required (they are never published).

    Anonymous, so limited per client (``settings.RATE_LIMITS["objection"]``: the view passes
    ``client=client_key(request)``); an identical objection is refused, also when two arrive
    at the same moment (the fingerprint is unique per publicity).
    """

    keep_uploads = ("evidence",)
    rate_limit = "objection"

    evidence = UploadField(
        label=_("supporting file"), required=False, help_text=_("Optional: PDF, JPG or PNG.")
    )

    class Meta:
        model = Objection
        fields = ["item", "name", "organisation", "contact", "reason", "evidence"]
        widgets = {"item": OnePassSelect, "reason": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, publicity, **kwargs):
        super().__init__(*args, **kwargs)
        self.publicity = publicity
        self.fields["item"].queryset = publicity.items.filter(status=PublicityItem.Status.LISTED)
        self.fields["item"].required = True
        self.fields["item"].empty_label = None
        self.fields["name"].help_text = _("Objections need the objector's real name.")
        self.fields["contact"].help_text = _("So that staff can reach you about the result.")
        self.fields["reason"].help_text = _("At most %(count)s characters.") % {
            "count": self.fields["reason"].max_length
        }
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    def _post_clean(self):
        super()._post_clean()
        if self._errors:
            return
        self.instance.publicity = self.publicity
        fingerprint = self.instance.take_fingerprint()
        if Objection.objects.filter(publicity=self.publicity, fingerprint=fingerprint).exists():
            self.add_error(None, forms.ValidationError(DUPLICATE, code="duplicate"))

    def save(self, commit=True):
        """The objection received, or None when an identical one won a race (the form then
        says so)."""
        objection = super().save(commit=False)
        objection.publicity = self.publicity
        objection.channel = Objection.Channel.ONLINE
        objection.take_fingerprint()
        if not commit:
            return objection
        try:
            with transaction.atomic():
                objection.save()
        except IntegrityError:
            twin = Objection.objects.filter(
                publicity=self.publicity, fingerprint=objection.fingerprint
            )
            if not twin.exists():
                raise
            if objection.evidence:
                objection.evidence.delete(save=False)
            self.add_error(None, forms.ValidationError(DUPLICATE, code="duplicate"))
            return None
        return objection
