from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.dates import SHANGHAI, now, quarter_of
from talentstation.models import PolicyVersion
from talentstation.models.fields import recorded_by
from talentstation.uploads import UploadTo

from .. import rules
from ..workflow import dates_are_justified


def _current_policy():
    return PolicyVersion.current().pk


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=Call.Status.DRAFT)

    def open_on(self, day):
        return self.filter(status=Call.Status.PUBLISHED, open_date__lte=day, close_date__gte=day)


class Call(ConcurrentTransitionMixin, models.Model):
    """申报通知: the year's call for applications, open from ``open_date`` to ``close_date``,
    both inclusive (until 23:59 Shanghai time). Normally inside Q3 (Art. 10); a call outside Q3
    needs a recorded reason. Staff create it as a draft, publish it (a public page) and close it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {"publish": _("publish the call"), "close": _("close the call")}

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    open_date = models.DateField(_("opens on"))
    close_date = models.DateField(_("closes on (inclusive)"))
    outside_q3_reason = models.TextField(
        _("reason for a call outside the third quarter"),
        max_length=500,
        blank=True,
        help_text=_("Required when the call is not entirely inside July–September of its year."),
    )
    description = models.TextField(_("call text"), max_length=10000, blank=True)
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        default=_current_policy,
        related_name="calls",
        verbose_name=_("policy settings version"),
    )
    created_by = recorded_by(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-year", "-open_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(close_date__gte=models.F("open_date")),
                name="call_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title or _("Call %(year)s") % {"year": self.year}

    @property
    def inside_q3(self):
        return (
            self.open_date.year == self.year
            and self.close_date.year == self.year
            and quarter_of(self.open_date) == 3
            and quarter_of(self.close_date) == 3
        )

    def clean(self):
        errors = {}
        if self.open_date and self.close_date:
            if self.close_date < self.open_date:
                errors["close_date"] = _("The call cannot close before it opens.")
            elif not self.inside_q3 and not self.outside_q3_reason.strip():
                errors["outside_q3_reason"] = _(
                    "Art. 10 of the measures runs the call in the third quarter "
                    "(1 July – 30 September %(year)s). Give the reason for these dates."
                ) % {"year": self.year}
        if errors:
            raise ValidationError(errors)

    def is_open(self, at=None):
        """True while applications may be submitted: a published call, from 00:00 of the open
        date to 23:59:59 of the close date, Shanghai time."""
        day = (at or now()).astimezone(SHANGHAI).date()
        return self.status == self.Status.PUBLISHED and self.open_date <= day <= self.close_date

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.PUBLISHED,
        permission=rules.is_staff,
        conditions=[dates_are_justified],
        custom={"label": TRANSITION_LABELS["publish"]},
    )
    def publish(self, *, by, reason=""):
        self.published_at = timezone.now()

    @transition(
        field=status,
        source=Status.PUBLISHED,
        target=Status.CLOSED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["close"]},
    )
    def close(self, *, by, reason=""):
        pass


class CallDocument(models.Model):
    """A document published with the call (the notice itself, the blank Annex 1, guidance)."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="documents", verbose_name=_("call")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=UploadTo("calls"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")
        ordering = ["call", "order", "pk"]

    def __str__(self):
        return self.title
