"""Scorers assigned to subjects: an expert on the panel of an application, a scorer of a
station in an assessment cycle — one mechanism for both.

An :class:`ScorerAssignment` puts one scorer on one subject (any model instance); the scorer
declares that he has no conflict of interest before he sees the subject, may record an on-site
visit, and fills his score sheets (:mod:`talentstation.scoring`). An :class:`ExpertAffiliation`
is an organisation a scorer is tied to, by its credit code: he cannot be assigned to a subject
whose ``conflict_credit_codes()`` contains it. The services are in
:mod:`talentstation.assignments`.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import credit_code
from ..dates import validate_not_in_future
from ..uploads import UploadTo


class ExpertAffiliation(models.Model):
    """An organisation an expert works for or is otherwise tied to, by its credit code. An
    expert cannot score a subject of that organisation or relying on it."""

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

    history = HistoricalRecords(table_name="stations_historicalexpertaffiliation")

    class Meta:
        db_table = "stations_expertaffiliation"  # kept when the model moved here
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


class AssignmentQuerySet(models.QuerySet):
    def for_subject(self, subject):
        return self.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        )

    def of_kind(self, model):
        """The assignments whose subjects are instances of ``model``."""
        return self.filter(content_type=ContentType.objects.get_for_model(model))


class ScorerAssignment(models.Model):
    """One scorer on one subject: his conflict-of-interest declaration, the on-site visit and
    (through :class:`~talentstation.models.scoring.ScoreSheet`) his score sheets."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("kind of subject")
    )
    object_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("content_type", "object_id")
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scorer_assignments",
        verbose_name=_("scorer"),
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

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords(table_name="stations_historicalreviewassignment")

    class Meta:
        db_table = "stations_reviewassignment"  # kept when the model moved here
        verbose_name = _("scorer assignment")
        verbose_name_plural = _("scorer assignments")
        ordering = ["content_type", "object_id", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "scorer"], name="one_assignment_per_subject"
            )
        ]

    def __str__(self):
        return f"{self.subject} · {self.scorer}"

    @property
    def declared(self):
        return self.no_conflict_declared_at is not None


class SiteVisitPhoto(models.Model):
    assignment = models.ForeignKey(
        ScorerAssignment,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("scorer assignment"),
    )
    file = models.FileField(_("file"), upload_to=UploadTo("visits"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        db_table = "stations_sitevisitphoto"  # kept when the model moved here
        verbose_name = _("site visit photo")
        verbose_name_plural = _("site visit photos")
        ordering = ["assignment", "uploaded_at"]

    def __str__(self):
        return self.original_name
