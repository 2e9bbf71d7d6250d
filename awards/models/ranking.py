"""The ranking of a closed assessment cycle and its excellent stations (Art. 14).

A :class:`Ranking` is proposed from the cycle's final scores (``assessments.results``): every
station assessed has a :class:`RankingEntry` with its score and place; the best ones that
reach the pass mark and are neither under rectification nor revoked are excellent
(「福州高新区优秀人才驿站」 of the assessment year) with the award of their rank from the policy
settings. Ties are shown, broken by the tie-break the settings name, and confirmed by staff
with a reason. Then: leadership approval → publicity (``excellent_stations``) → published.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.conditions import condition
from talentstation.models.fields import recorded_by

from .. import rules

SCORE_DIGITS = {"max_digits": 6, "decimal_places": 2}
MONEY_DIGITS = {"max_digits": 12, "decimal_places": 2}


@condition(
    _(
        "A tie the tie-break does not separate decides who is excellent or the rank: "
        "staff must set the order of the tied stations first."
    ),
    summary=_("every tie the tie-break does not separate is decided by staff"),
)
def ties_decided(ranking):
    return not ranking.entries.filter(tie_decision=RankingEntry.TieDecision.PENDING).exists()


@condition(_("The ranking has no entries."), summary=_("the ranking has entries"))
def has_entries(ranking):
    return ranking.entries.exists()


class Ranking(ConcurrentTransitionMixin, models.Model):
    """考核结果与优秀人才驿站评选: the outcome of one closed assessment cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved by the leadership group")
        PUBLICITY = "publicity", _("under publicity")
        PUBLISHED = "published", _("published")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "propose": _("propose the ranking"),
        "approve": _("record the leadership group's approval"),
        "reopen": _("reopen the ranking"),
        "start_publicity": _("start the publicity of the excellent stations"),
        "publish": _("publish the results"),
    }

    cycle = models.OneToOneField(
        "assessments.AssessmentCycle",
        on_delete=models.PROTECT,
        related_name="ranking",
        verbose_name=_("assessment cycle"),
    )
    policy_version = models.ForeignKey(
        "talentstation.PolicyVersion",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("policy settings version"),
    )
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    confirmation_reason = models.TextField(
        _("reason for the final list"),
        max_length=2000,
        blank=True,
        help_text=_("Why the list is as it is, above all where a tie was decided."),
    )
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    meeting_reference = models.CharField(
        _("meeting reference"), max_length=100, blank=True, help_text=_("e.g. 会议纪要编号")
    )
    notice_number = models.CharField(_("notice number"), max_length=100, blank=True)
    notice_date = models.DateField(_("notice date"), null=True, blank=True)
    created_by = recorded_by(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["-cycle__first_year"]

    def __str__(self):
        return str(self.cycle)

    @property
    def year_label(self):
        """The assessment year as the title names it: 「2024—2025年度」."""
        return f"{self.cycle.first_year}—{self.cycle.second_year}年度"

    @property
    def excellent_title(self):
        """「2024—2025年度 福州高新区优秀人才驿站」."""
        return f"{self.year_label} {self.policy_version.excellent_title}"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def notify_transition(self, log):
        """Tell bureau staff and the users of every unit listed what happened to the results."""
        from django.contrib.auth import get_user_model
        from django.urls import reverse

        from stations.models import HostUnit
        from talentstation.notifications import notify_transition
        from talentstation.roles import Role

        subject = _("Assessment results %(cycle)s: %(change)s") % {
            "cycle": self.cycle,
            "change": log.transition_label,
        }
        staff = get_user_model().objects.filter(groups__name=Role.STAFF.value, is_active=True)
        notify_transition(
            staff, subject=subject, log=log, link=reverse("awards:ranking_detail", args=[self.pk])
        )
        if log.transition in ("approve", "publish"):
            units = HostUnit.objects.filter(stations__ranking_entries__ranking=self).distinct()
            users = [user for unit in units for user in unit.users()]
            notify_transition(users, subject=subject, log=log, link=reverse("awards:mine"))

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.PROPOSED,
        permission=rules.manage_ranking,
        conditions=[has_entries, ties_decided],
        custom={"label": TRANSITION_LABELS["propose"], "reason_required": True},
    )
    def propose(self, *, by, reason=""):
        """Staff confirm the list (the reason says why, above all where a tie was decided)."""
        self.confirmation_reason = reason

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.APPROVED,
        permission=rules.manage_ranking,
        custom={"label": TRANSITION_LABELS["approve"]},
    )
    def approve(self, *, by, reason="", meeting_date, meeting_reference):
        """The leadership group's joint meeting approved the list."""
        self.meeting_date, self.meeting_reference = meeting_date, meeting_reference

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.DRAFT,
        permission=rules.manage_ranking,
        custom={"label": TRANSITION_LABELS["reopen"], "reason_required": True},
    )
    def reopen(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.PUBLICITY,
        permission=rules.manage_ranking,
        custom={"label": TRANSITION_LABELS["start_publicity"]},
    )
    def start_publicity(self, *, by, reason=""):
        """Run by the publicity of the excellent stations when staff start it."""

    @transition(
        field=status,
        source=Status.PUBLICITY,
        target=Status.PUBLISHED,
        permission=rules.manage_ranking,
        custom={"label": TRANSITION_LABELS["publish"]},
    )
    def publish(self, *, by, reason="", notice_number, notice_date):
        """Run by the publicity when it is concluded: the notice confirms the list."""
        self.notice_number, self.notice_date = notice_number, notice_date


class RankingEntry(models.Model):
    """One station's place in a ranking."""

    class Exclusion(models.TextChoices):
        NONE = "", _("eligible")
        NO_SCORE = "no_score", _("no score")
        BELOW_PASS = "below_pass", _("below the pass mark")
        RECTIFYING = "rectifying", _("under rectification")
        REVOKED = "revoked", _("revoked")

    class TieDecision(models.TextChoices):
        NONE = "", _("no tie")
        TIE_BREAK = "tie_break", _("decided by the tie-break")
        STAFF = "staff", _("decided by staff")
        PENDING = "pending", _("staff must decide")

    ranking = models.ForeignKey(
        Ranking, on_delete=models.CASCADE, related_name="entries", verbose_name=_("ranking")
    )
    assessment = models.OneToOneField(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="ranking_entry",
        verbose_name=_("assessment"),
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="ranking_entries",
        verbose_name=_("station"),
    )
    score = models.DecimalField(_("score"), null=True, blank=True, **SCORE_DIGITS)
    position = models.PositiveSmallIntegerField(pgettext_lazy("ranking", "place"), default=0)
    exclusion = models.CharField(
        _("why not eligible"), max_length=20, choices=Exclusion.choices, blank=True
    )
    tie_group = models.PositiveSmallIntegerField(
        _("tie group"),
        null=True,
        blank=True,
        help_text=_("Entries with the same score share a group number."),
    )
    tie_decision = models.CharField(
        _("how the tie was decided"), max_length=20, choices=TieDecision.choices, blank=True
    )
    tie_note = models.CharField(_("tie note"), max_length=300, blank=True)
    tie_break_points = models.JSONField(
        _("points of the tie-break items"),
        default=list,
        blank=True,
        help_text=_("The station's points of each tie-break item, in the settings' order."),
    )
    rank = models.PositiveSmallIntegerField(
        _("excellent rank"), null=True, blank=True, help_text=_("1, 2, 3 … for excellent stations.")
    )
    award_amount = models.DecimalField(_("award (yuan)"), null=True, blank=True, **MONEY_DIGITS)
    withdrawn_reason = models.TextField(
        _("why withdrawn"), max_length=2000, blank=True, help_text=_("An upheld objection.")
    )
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["ranking", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "station"], name="ranked_once"),
        ]

    def __str__(self):
        return f"{self.ranking} · {self.station}"

    @property
    def host_unit_id(self):
        return self.station.host_unit_id

    @property
    def eligible(self):
        return not self.exclusion

    @property
    def is_excellent(self):
        return self.rank is not None and not self.withdrawn_reason
