"""Talent referrals (Art. 9(2), 21): people a station put forward to a provincial or municipal
talent programme, recorded by the station and confirmed by bureau staff."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.models.fields import recorded_by
from talentstation.uploads import UploadTo

from .. import rules


class ProgrammeLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("provincial")
    MUNICIPAL = "municipal", _("municipal")


class ReferralQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=TalentReferral.Status.CONFIRMED)


class TalentReferral(ConcurrentTransitionMixin, models.Model):
    """A person the station recommended to a talent programme (e.g. Fujian's A/B/C high-level
    talent), and the outcome. Only referrals bureau staff confirmed count anywhere."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("not confirmed")

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("referral outcome", "pending")
        SELECTED = "selected", _("selected")
        NOT_SELECTED = "not_selected", _("not selected")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "confirm": _("confirm the referral"),
        "reject": _("do not confirm the referral"),
        "revise": _("changed by the station, to be confirmed again"),
    }

    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="talent_referrals",
        verbose_name=_("station"),
    )
    person_name = models.CharField(_("person's name"), max_length=100)
    employer = models.CharField(_("employer"), max_length=200)
    level = models.CharField(_("programme level"), max_length=12, choices=ProgrammeLevel.choices)
    programme = models.CharField(
        _("talent programme"),
        max_length=200,
        help_text=_("E.g. 福建省引进高层次人才（C类）."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    evidence = models.FileField(
        _("evidence"), upload_to=UploadTo("referrals"), max_length=200, blank=True
    )
    status = FSMField(_("status"), choices=Status.choices, default=Status.RECORDED, protected=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    created_by = recorded_by(_("recorded by"))
    updated_by = recorded_by(_("last edited by"))

    history = HistoricalRecords(excluded_fields=["evidence"])
    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("talent referral")
        verbose_name_plural = _("talent referrals")
        ordering = ["-year", "person_name", "pk"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return _("%(person)s — %(programme)s (%(year)s)") % {
            "person": self.person_name,
            "programme": self.programme,
            "year": self.year,
        }

    @property
    def counts(self):
        return self.status == self.Status.CONFIRMED

    def notify_transition(self, log):
        """Tell the station's users what staff decided (and staff nothing: they decided)."""
        if log.transition == "revise":
            return
        from django.urls import reverse

        from talentstation.notifications import notify_transition

        notify_transition(
            self.station.host_unit.users(),
            subject=_("Talent referral %(referral)s: %(state)s")
            % {"referral": self.person_name, "state": log.to_label},
            log=log,
            link=reverse("assessments:station_referrals", args=[self.station_id]),
        )

    @transition(
        field=status,
        source=Status.RECORDED,
        target=Status.CONFIRMED,
        permission=rules.decide_station_records,
        custom={"label": TRANSITION_LABELS["confirm"]},
    )
    def confirm(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=Status.RECORDED,
        target=Status.REJECTED,
        permission=rules.decide_station_records,
        custom={"label": TRANSITION_LABELS["reject"], "reason_required": True},
    )
    def reject(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=[Status.CONFIRMED, Status.REJECTED],
        target=Status.RECORDED,
        permission=rules.record_referral,
        custom={"label": TRANSITION_LABELS["revise"]},
    )
    def revise(self, *, by, reason=""):
        pass
