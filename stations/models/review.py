"""Expert on-site review (专家实地考察与综合评估) and the leadership group's meeting."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talentstation import credit_code
from talentstation.dates import validate_not_in_future
from talentstation.models.fields import recorded_by
from talentstation.uploads import UploadTo


class ExpertAffiliation(models.Model):
    """An organisation an expert works for or is otherwise tied to, by its credit code. An
    expert cannot review an application of that organisation or relying on it."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("expert"),
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        validators=[credit_code.validate_credit_code],
    )
    relation = models.CharField(
        _("relation"),
        max_length=100,
        blank=True,
        help_text=_("e.g. employee, adviser, shareholder"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expert affiliation")
        verbose_name_plural = _("expert affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "credit_code"], name="one_affiliation_per_code"
            )
        ]

    def __str__(self):
        return f"{self.expert} · {self.organisation}"

    def save(self, *args, **kwargs):
        self.credit_code = credit_code.normalize(self.credit_code)
        super().save(*args, **kwargs)


class ReviewAssignment(models.Model):
    """An expert on the panel of one application: conflict-of-interest declaration, the on-site
    visit and (through talentstation.ScoreSheet) his score sheet."""

    application = models.ForeignKey(
        "stations.Application",
        on_delete=models.CASCADE,
        related_name="review_assignments",
        verbose_name=_("application"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("expert"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    no_conflict_declared_at = models.DateTimeField(
        _("no conflict of interest declared at"), null=True, blank=True
    )
    visit_date = models.DateField(
        _("date of the on-site visit"), null=True, blank=True, validators=[validate_not_in_future]
    )
    visit_notes = models.TextField(_("notes of the on-site visit"), max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="one_assignment_each")
        ]

    def __str__(self):
        return f"{self.application.number} · {self.expert}"

    @property
    def declared(self):
        return self.no_conflict_declared_at is not None


class SiteVisitPhoto(models.Model):
    assignment = models.ForeignKey(
        ReviewAssignment,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("expert assignment"),
    )
    file = models.FileField(_("file"), upload_to=UploadTo("visits"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("site visit photo")
        verbose_name_plural = _("site visit photos")
        ordering = ["assignment", "uploaded_at"]

    def __str__(self):
        return self.original_name


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
