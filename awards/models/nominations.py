"""Upward nomination (Art. 15 honours): staff recommend stations to the city or the province
for an honour or programme, in batches exported as Annex 3 「人才驿站推荐汇总表」."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.conditions import condition
from talentstation.models.fields import recorded_by

from .. import rules


@condition(
    _(
        "Add at least one station, and write the introduction and the reason of every station "
        "first."
    ),
    summary=_("at least one station, each with its introduction and reason"),
)
def nominations_complete(batch):
    nominations = list(batch.nominations.all())
    return bool(nominations) and all(
        n.introduction.strip() and n.reason.strip() for n in nominations
    )


@condition(
    _("Record the outcome (selected or not) of every station first."),
    summary=_("every station has its outcome"),
)
def outcomes_complete(batch):
    return not batch.nominations.filter(outcome=Nomination.Outcome.PENDING).exists()


class NominationBatch(ConcurrentTransitionMixin, models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("city (Fuzhou)")
        PROVINCE = "province", _("province (Fujian)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        SUBMITTED = "submitted", _("submitted")
        DECIDED = "decided", _("outcomes recorded")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "submit": _("submit the nominations"),
        "reopen": _("reopen for changes"),
        "record_outcomes": _("record the outcomes"),
    }

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("recommended to"), max_length=10, choices=Level.choices)
    programme = models.CharField(
        _("honour or programme"), max_length=200, help_text=_("e.g. 福州市级人才驿站")
    )
    submitting_unit = models.CharField(
        _("submitting unit"), max_length=200, default="福州高新区人力资源和社会保障局"
    )
    filled_by_name = models.CharField(_("filled in by"), max_length=100, blank=True)
    fill_date = models.DateField(_("date filled in"), null=True, blank=True)
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    created_by = recorded_by(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination batch")
        verbose_name_plural = _("nomination batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    # The transitions that tell the nominated stations' units.
    NOTIFIED_TRANSITIONS = ("submit", "record_outcomes")

    def notify_transition(self, log):
        """Tell each nominated station's unit that it was recommended, and later the outcome."""
        if log.transition not in self.NOTIFIED_TRANSITIONS:
            return
        from ..nominations import notify_units

        notify_units(self, log)

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=rules.manage_nominations,
        conditions=[nominations_complete],
        custom={"label": TRANSITION_LABELS["submit"]},
    )
    def submit(self, *, by, reason="", on=None):
        from talentstation.dates import today

        self.submitted_on = on or today()
        if self.fill_date is None:
            self.fill_date = self.submitted_on
        if not self.filled_by_name:
            self.filled_by_name = getattr(by, "full_name", "") or by.get_username()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.DRAFT,
        permission=rules.manage_nominations,
        custom={"label": TRANSITION_LABELS["reopen"], "reason_required": True},
    )
    def reopen(self, *, by, reason=""):
        self.submitted_on = None

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.DECIDED,
        permission=rules.manage_nominations,
        conditions=[outcomes_complete],
        custom={"label": TRANSITION_LABELS["record_outcomes"]},
    )
    def record_outcomes(self, *, by, reason=""):
        pass


class Nomination(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("awaiting the outcome")
        SELECTED = "selected", _("selected")
        NOT_SELECTED = "not_selected", _("not selected")

    batch = models.ForeignKey(
        NominationBatch,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("nomination batch"),
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("station"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    introduction = models.TextField(
        _("introduction of the station"),
        max_length=2000,
        help_text=_("驿站简介: the site, rules, staff and activities."),
    )
    reason = models.TextField(_("reason for the recommendation"), max_length=1000)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_note = models.CharField(_("outcome note"), max_length=300, blank=True)
    outcome_recorded_by = recorded_by(_("outcome recorded by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["batch", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "station"], name="nominated_once_per_batch")
        ]

    def __str__(self):
        return f"{self.batch} · {self.station}"

    @property
    def host_unit_id(self):
        """The station's unit (for the unit rules; load the station with it)."""
        return self.station.host_unit_id
