"""The leadership group's meeting (the expert panels: talentstation.models.assignments)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talentstation.dates import validate_not_in_future
from talentstation.models.fields import recorded_by
from talentstation.uploads import UploadTo


class LeadershipMeeting(models.Model):
    """区人才工作领导小组联席会议: the meeting that approves the shortlist."""

    date = models.DateField(_("meeting date"), validators=[validate_not_in_future])
    reference = models.CharField(_("reference"), max_length=100, help_text=_("e.g. minutes no."))
    minutes = models.FileField(
        _("minutes"), upload_to=UploadTo("meetings"), blank=True, max_length=200
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    recorded_by = recorded_by(_("recorded by"))

    history = HistoricalRecords(excluded_fields=["minutes"])

    class Meta:
        verbose_name = _("leadership group meeting")
        verbose_name_plural = _("leadership group meetings")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.reference}"
