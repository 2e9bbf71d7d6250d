from django import forms
from django.utils.translation import gettext_lazy as _

from .forms_base import PortalModelForm
from .models import Objection, PublicityItem
from .uploads import UploadField


class ObjectionForm(PortalModelForm):
    """An online objection: real name and contact required (they are never published)."""

    evidence = UploadField(
        label=_("supporting file"), required=False, help_text=_("Optional: PDF, JPG or PNG.")
    )

    class Meta:
        model = Objection
        fields = ["item", "name", "organisation", "contact", "reason", "evidence"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, publicity, **kwargs):
        super().__init__(*args, **kwargs)
        self.publicity = publicity
        self.fields["item"].queryset = publicity.items.filter(status=PublicityItem.Status.LISTED)
        self.fields["item"].required = True
        self.fields["item"].empty_label = None
        self.fields["name"].help_text = _("Objections need the objector's real name.")
        self.fields["contact"].help_text = _("So that staff can reach you about the result.")
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    def save(self, commit=True):
        objection = super().save(commit=False)
        objection.publicity = self.publicity
        objection.channel = Objection.Channel.ONLINE
        if commit:
            objection.save()
        return objection
