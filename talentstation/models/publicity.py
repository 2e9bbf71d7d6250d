"""公示: a list under publicity, generic over what it lists (the apps register their purposes
in talentstation.publicity: new stations, excellent stations…), with its period and the
objections to it."""

import hashlib
import unicodedata

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.conditions import condition
from talentstation.publicity import hooks_for, purpose_choices
from talentstation.rules import is_staff
from talentstation.uploads import UploadTo

from .fields import recorded_by


def _normalised(text):
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(char for char in text if unicodedata.category(char)[0] not in "PZC")


@condition(
    _("An objection is still open: investigate and resolve it before publication."),
    summary=_("no objection is open"),
)
def no_open_objection(publicity):
    return not publicity.objections.filter(status=Objection.Status.OPEN).exists()


@condition(
    _("The publicity period has not ended yet: publication is allowed from the next day."),
    summary=_("the publicity period has ended"),
)
def period_over(publicity):
    from talentstation.dates import today

    return publicity.last_day is not None and today() > publicity.last_day


@condition(_("The list has nothing on it."), summary=_("the list has at least one entry"))
def has_items(publicity):
    return publicity.items.exists()


class Publicity(ConcurrentTransitionMixin, models.Model):
    """A list under publicity. Staff start it on a start date; the period is counted in
    working days (talentstation.calendar); publication follows when it has ended and no
    objection is open."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("in preparation")
        RUNNING = "running", _("under publicity")
        CONCLUDED = "concluded", _("concluded")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {"start": _("start the publicity"), "conclude": _("conclude")}

    purpose = models.CharField(_("purpose"), max_length=30, choices=purpose_choices)
    title = models.CharField(_("title"), max_length=200)
    basis = models.TextField(
        _("basis"),
        max_length=1000,
        help_text=_("The rules and decision the list rests on, shown to the public."),
    )
    contact = models.TextField(
        _("how to object"),
        max_length=500,
        help_text=_("Where and how to object (telephone, address); objections need a real name."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    first_day = models.DateField(_("first day"), null=True, blank=True, editable=False)
    last_day = models.DateField(_("last day"), null=True, blank=True, editable=False)
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    notice_number = models.CharField(
        _("notice number"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("e.g. 榕高新区人社〔2026〕8号"),
    )
    notice_date = models.DateField(_("notice date"), null=True, blank=True, editable=False)
    created_by = recorded_by(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publicity")
        verbose_name_plural = _("publicities")
        ordering = ["-start_date", "-pk"]

    def __str__(self):
        return self.title

    @property
    def ends_at(self):
        """23:59 Shanghai time on the last working day of the period."""
        from talentstation.dates import end_of_day

        return end_of_day(self.last_day) if self.last_day else None

    @property
    def accepts_objections(self):
        from talentstation.dates import now

        return self.status == self.Status.RUNNING and now() <= self.ends_at

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.RUNNING,
        permission=is_staff,
        conditions=[has_items],
        custom={"label": TRANSITION_LABELS["start"]},
    )
    def start(self, *, by, reason="", start_date, working_days):
        from talentstation.calendar import CalendarIncomplete, publicity_period
        from talentstation.rules import Refused

        try:
            period = publicity_period(start_date, working_days)
        except CalendarIncomplete as incomplete:
            raise Refused(incomplete.message) from incomplete
        self.start_date, self.working_days = start_date, working_days
        self.first_day, self.last_day = period.first_day, period.last_day
        hooks = hooks_for(self.purpose)
        for item in self.listed_items():
            hooks.on_start(item.subject, by=by, publicity=self)

    @transition(
        field=status,
        source=Status.RUNNING,
        target=Status.CONCLUDED,
        permission=is_staff,
        conditions=[period_over, no_open_objection],
        custom={"label": TRANSITION_LABELS["conclude"]},
    )
    def conclude(self, *, by, reason="", notice_number, notice_date):
        """Publication: the notice that confirms the list (e.g. 榕高新区人社〔2026〕8号)."""
        self.notice_number, self.notice_date = notice_number, notice_date
        hooks = hooks_for(self.purpose)
        for item in self.listed_items():
            hooks.on_conclude(item.subject, by=by, publicity=self)

    def listed_items(self):
        return self.items.filter(status=PublicityItem.Status.LISTED)


class PublicityItem(ConcurrentTransitionMixin, models.Model):
    """One entry of the list: its public text and what it stands for."""

    class Status(models.TextChoices):
        LISTED = "listed", _("listed")
        WITHDRAWN = "withdrawn", _("withdrawn after an upheld objection")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {"withdraw": _("withdraw the entry")}

    publicity = models.ForeignKey(
        Publicity, on_delete=models.CASCADE, related_name="items", verbose_name=_("publicity")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200, help_text=_("As shown to the public."))
    description = models.CharField(_("description"), max_length=300, blank=True)
    status = FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.LISTED, protected=True
    )

    class Meta:
        verbose_name = _("publicity entry")
        verbose_name_plural = _("publicity entries")
        ordering = ["publicity", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publicity", "content_type", "object_id"], name="listed_once"
            )
        ]

    def __str__(self):
        return self.name

    @transition(
        field=status,
        source=Status.LISTED,
        target=Status.WITHDRAWN,
        permission=is_staff,
        custom={"label": TRANSITION_LABELS["withdraw"], "reason_required": True},
    )
    def withdraw(self, *, by, reason=""):
        """An upheld objection takes the entry off the list; its purpose decides what that
        means for the listed object (e.g. the application is not selected)."""
        hooks_for(self.publicity.purpose).on_withdraw(self.subject, by=by, reason=reason)


class Objection(ConcurrentTransitionMixin, models.Model):
    """An objection to a list under publicity: online (real name) or recorded by staff from a
    phone call or letter. Investigated and resolved: upheld (the entry leaves the list) or
    dismissed. The objector's identity is never shown publicly."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PHONE = "phone", _("telephone")
        LETTER = "letter", _("letter or visit")

    class Status(models.TextChoices):
        OPEN = "open", _("under investigation")
        UPHELD = "upheld", _("upheld")
        DISMISSED = "dismissed", _("dismissed")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {"uphold": _("uphold the objection"), "dismiss": _("dismiss the objection")}

    publicity = models.ForeignKey(
        Publicity,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("publicity"),
    )
    item = models.ForeignKey(
        PublicityItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("entry objected to"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    name = models.CharField(_("real name"), max_length=100)
    organisation = models.CharField(_("unit"), max_length=200, blank=True)
    contact = models.CharField(_("telephone or e-mail"), max_length=200)
    reason = models.TextField(_("reason and facts"), max_length=2000)
    evidence = models.FileField(
        _("supporting file"), upload_to=UploadTo("objections"), blank=True, max_length=200
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    recorded_by = recorded_by(_("recorded by"), editable=True)
    status = FSMField(_("status"), choices=Status.choices, default=Status.OPEN, protected=True)
    resolution = models.TextField(_("result of the investigation"), blank=True)
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Of an online objection: the entry, contact and reason, normalised."),
    )

    history = HistoricalRecords(excluded_fields=["evidence"])

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["publicity", "received_at"]
        constraints = [
            # The same online objection is received once, also when sent twice at once.
            models.UniqueConstraint(
                fields=["publicity", "fingerprint"],
                condition=~models.Q(fingerprint=""),
                name="objection_received_once",
            )
        ]

    def __str__(self):
        return f"{self.publicity} · {self.get_channel_display()} · {self.received_at:%Y-%m-%d}"

    def take_fingerprint(self):
        """What makes two objections the same: the entry, the contact and the reason, compared
        without case, width, spaces, punctuation or control characters."""
        parts = [str(self.item_id or ""), _normalised(self.contact), _normalised(self.reason)]
        self.fingerprint = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        return self.fingerprint

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.UPHELD,
        permission=is_staff,
        custom={"label": TRANSITION_LABELS["uphold"], "reason_required": True},
    )
    def uphold(self, *, by, reason=""):
        """The objection is founded: its entry leaves the list."""
        from talentstation.workflow import perform

        self.resolution = reason
        if self.item is not None and self.item.status == PublicityItem.Status.LISTED:
            perform(self.item, "withdraw", by=by, reason=reason)

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.DISMISSED,
        permission=is_staff,
        custom={"label": TRANSITION_LABELS["dismiss"], "reason_required": True},
    )
    def dismiss(self, *, by, reason=""):
        self.resolution = reason
