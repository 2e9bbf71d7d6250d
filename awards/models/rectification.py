"""Rectification orders (整改通知, Art. 14): a station below the pass mark is ordered to rectify
the problems found, item by item, by a deadline; the unit files its rectification report with
evidence; staff or experts re-inspect. Passed in time → certified again; not reported by the
deadline, or re-inspection failed → staff may revoke the plaque. Revocation is always a staff
decision, never automatic: a daily command only flags the orders past their deadline."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.conditions import condition
from talentstation.dates import today
from talentstation.models.fields import recorded_by
from talentstation.uploads import UploadTo

from .. import rules
from .ranking import SCORE_DIGITS


@condition(
    _("Add at least one problem to the order before issuing it."),
    summary=_("at least one problem"),
)
def has_problems(order):
    return order.problems.exists()


@condition(
    lambda order: (
        gettext("The station is %(status)s: only a certified station can be ordered to rectify.")
        % {"status": order.station.get_status_display()}
    ),
    summary=_("the station is certified"),
)
def station_certified(order):
    from stations.models import Station

    return order.station.status == Station.Status.CERTIFIED


@condition(
    _("Write the rectification report and attach its evidence first."),
    summary=_("report text and evidence"),
)
def has_report(order):
    return bool(order.report_text.strip() and order.report_file)


@condition(
    _(
        "The report was filed after the deadline: the rectification was not completed in time, "
        "so the re-inspection cannot pass it (fail it or revoke the plaque)."
    ),
    summary=_("the report was filed by the deadline"),
)
def reported_in_time(order):
    return not order.report_late


def _revoke_problem(order):
    S = RectificationOrder.Status
    if order.status == S.ISSUED and not order.is_past_deadline:
        return gettext(
            "The deadline (%(deadline)s) has not passed yet: the unit may still file its report."
        ) % {"deadline": order.deadline.isoformat() if order.deadline else "—"}
    if order.status == S.REPORTED and not order.report_late:
        return gettext(
            "The report was filed in time: re-inspect it (pass or fail) before deciding on the "
            "plaque."
        )
    return None


@condition(
    lambda order: _revoke_problem(order),
    summary=_(
        "the deadline passed without a report, the report was late, or the re-inspection failed"
    ),
)
def revocable(order):
    return _revoke_problem(order) is None


class RectificationOrder(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        ISSUED = "issued", _("issued")
        REPORTED = "reported", _("report filed")
        PASSED = "passed", _("rectified")
        FAILED = "failed", _("re-inspection failed")
        REVOKED = "revoked", _("plaque revoked")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "issue": _("issue the rectification notice"),
        "file_report": _("file the rectification report"),
        "pass_inspection": _("re-inspection passed"),
        "fail_inspection": _("re-inspection failed"),
        "revoke": _("revoke the plaque"),
    }
    OPEN_STATES = (Status.DRAFT, Status.ISSUED, Status.REPORTED, Status.FAILED)

    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="rectification_orders",
        verbose_name=_("station"),
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_orders",
        verbose_name=_("assessment"),
    )
    score = models.DecimalField(_("score"), null=True, blank=True, **SCORE_DIGITS)
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    notice_number = models.CharField(_("notice number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    summary = models.TextField(_("what is to be rectified"), max_length=3000, blank=True)
    overdue_flagged_at = models.DateTimeField(
        _("flagged overdue at"), null=True, blank=True, editable=False
    )
    report_text = models.TextField(_("rectification report"), max_length=5000, blank=True)
    report_file = models.FileField(
        _("evidence"), upload_to=UploadTo("rectification"), blank=True, max_length=200
    )
    reported_at = models.DateTimeField(_("report filed at"), null=True, blank=True, editable=False)
    reported_by = recorded_by(_("report filed by"))
    inspected_on = models.DateField(_("re-inspected on"), null=True, blank=True)
    inspected_by = recorded_by(_("re-inspection recorded by"))
    inspection_note = models.TextField(_("re-inspection findings"), max_length=3000, blank=True)
    report_late = models.BooleanField(_("report filed late"), default=False, editable=False)
    revoked_on = models.DateField(_("revocation notice date"), null=True, blank=True)
    reason = models.TextField(
        _("why the order is made"),
        max_length=1000,
        blank=True,
        help_text=_("For an order not made from an assessment: the problems found and where."),
    )
    created_by = recorded_by(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["report_file"])

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return f"{self.station} · {self.notice_number or self.pk}"

    @property
    def host_unit_id(self):
        return self.station.host_unit_id

    @property
    def is_past_deadline(self):
        """Its deadline (a Shanghai date, inclusive) has passed."""
        return self.deadline is not None and today() > self.deadline

    @property
    def is_overdue(self):
        """Issued, not reported, and past the deadline."""
        return self.status == self.Status.ISSUED and self.is_past_deadline

    @property
    def is_open(self):
        return self.status in self.OPEN_STATES

    def policy(self):
        """The policy settings of the order: its cycle's pinned version, else the current one."""
        from talentstation.models import PolicyVersion

        if self.assessment_id and self.assessment.cycle.policy_version_id:
            return self.assessment.cycle.policy_version
        return PolicyVersion.current()

    def default_deadline(self, issued_on):
        return issued_on + datetime.timedelta(days=self.policy().rectification_days)

    def notify_transition(self, log):
        """Tell the unit's users of every decision, and bureau staff of a report filed."""
        from django.urls import reverse

        from talentstation.notifications import notify_transition

        from ..rectification import staff_users

        subject = _("Rectification of %(station)s: %(change)s") % {
            "station": self.station.name,
            "change": log.transition_label,
        }
        link = reverse("awards:rectification_detail", args=[self.pk])
        if log.transition == "file_report":
            notify_transition(staff_users(), subject=subject, log=log, link=link)
        notify_transition(self.station.host_unit.users(), subject=subject, log=log, link=link)

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.ISSUED,
        permission=rules.manage_rectification,
        conditions=[has_problems, station_certified],
        custom={"label": TRANSITION_LABELS["issue"]},
    )
    def issue(self, *, by, reason="", issued_on=None, deadline=None, notice_number=""):
        """Issue the notice: the station is put under rectification (its own transition)."""
        from talentstation.workflow import perform

        from ..rectification import next_notice_number

        self.issued_on = issued_on or today()
        self.deadline = deadline or self.deadline or self.default_deadline(self.issued_on)
        self.notice_number = (
            notice_number or self.notice_number or next_notice_number(self.issued_on.year)
        )
        perform(
            self.station,
            "start_rectification",
            by=by,
            reason=gettext("Rectification notice %(number)s, to be rectified by %(deadline)s.")
            % {"number": self.notice_number, "deadline": self.deadline.isoformat()},
        )

    @transition(
        field=status,
        source=Status.ISSUED,
        target=Status.REPORTED,
        permission=rules.file_rectification_report,
        conditions=[has_report],
        custom={"label": TRANSITION_LABELS["file_report"]},
    )
    def file_report(self, *, by, reason=""):
        """Filed after the deadline it is accepted but marked late (it cannot pass)."""
        self.reported_at = timezone.now()
        self.reported_by = by
        self.report_late = self.is_past_deadline

    def _record_inspection(self, by, on, findings):
        self.inspected_on = on or today()
        self.inspected_by = by
        self.inspection_note = findings

    @transition(
        field=status,
        source=Status.REPORTED,
        target=Status.PASSED,
        permission=rules.manage_rectification,
        conditions=[reported_in_time],
        custom={"label": TRANSITION_LABELS["pass_inspection"]},
    )
    def pass_inspection(self, *, by, reason="", inspected_on=None, findings=""):
        """Rectified in time: the station is certified again."""
        from talentstation.workflow import perform

        self._record_inspection(by, inspected_on, findings or reason)
        perform(self.station, "end_rectification", by=by, reason=self.inspection_note)

    @transition(
        field=status,
        source=Status.REPORTED,
        target=Status.FAILED,
        permission=rules.manage_rectification,
        custom={"label": TRANSITION_LABELS["fail_inspection"], "reason_required": True},
    )
    def fail_inspection(self, *, by, reason="", inspected_on=None, findings=""):
        self._record_inspection(by, inspected_on, findings or reason)

    @transition(
        field=status,
        source=[Status.ISSUED, Status.REPORTED, Status.FAILED],
        target=Status.REVOKED,
        permission=rules.manage_rectification,
        conditions=[revocable],
        custom={"label": TRANSITION_LABELS["revoke"], "reason_required": True},
    )
    def revoke(self, *, by, reason="", on=None):
        """Not rectified: the plaque is revoked (the station's own transition), with the date
        of the revocation notice."""
        from talentstation.workflow import perform

        self.revoked_on = on or today()
        perform(self.station, "revoke", by=by, reason=reason, on=self.revoked_on)


class RectificationProblem(models.Model):
    """One problem of an order, usually by Annex 2 item."""

    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.CASCADE,
        related_name="problems",
        verbose_name=_("rectification order"),
    )
    item = models.ForeignKey(
        "talentstation.ScoreItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Annex 2 item"),
    )
    points = models.DecimalField(_("points scored"), null=True, blank=True, **SCORE_DIGITS)
    problem = models.TextField(_("problem found"), max_length=2000)
    requirement = models.TextField(_("what must be done"), max_length=2000, blank=True)
    order_in_notice = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rectification problem")
        verbose_name_plural = _("rectification problems")
        ordering = ["order", "order_in_notice", "pk"]

    def __str__(self):
        return self.problem[:50]
