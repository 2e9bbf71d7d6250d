from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation import credit_code
from talentstation.models.fields import recorded_by
from talentstation.models.users import validate_mainland_mobile
from talentstation.uploads import UploadTo

from .. import rules
from ..workflow import has_licence


class HostUnitQuerySet(models.QuerySet):
    def needing_code_confirmation(self):
        return self.filter(code_state=HostUnit.CodeState.UNCONFIRMED)

    def awaiting_verification(self):
        return self.filter(verification=HostUnit.Verification.UNVERIFIED)


class HostUnit(ConcurrentTransitionMixin, models.Model):
    """报送单位 / 设站单位: the unit that applies for and runs stations, by its credit code."""

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", _("not yet verified")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("licence not accepted")

    class CodeState(models.TextChoices):
        CHECKED = "checked", _("check character correct")
        UNCONFIRMED = "unconfirmed", _("unconfirmed: check character does not match")
        CONFIRMED = "confirmed", _("confirmed by bureau staff")

    STATE_CHOICES = Verification
    TRANSITION_LABELS = {
        "verify": _("verify the unit"),
        "reject_licence": _("reject the licence"),
        "resubmit_licence": _("resubmit the licence"),
        "confirm_code": _("confirm the credit code"),
    }

    name = models.CharField(_("unit name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[credit_code.validate_credit_code],
    )
    code_state = FSMField(
        _("credit code check"),
        choices=CodeState.choices,
        default=CodeState.CHECKED,
        protected=True,
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_mobile = models.CharField(
        _("contact mobile number"), max_length=11, validators=[validate_mainland_mobile]
    )
    contact_email = models.EmailField(_("contact e-mail"))
    business_licence = models.FileField(
        _("business licence scan"), upload_to=UploadTo("licences"), blank=True, max_length=200
    )
    verification = FSMField(
        _("verification"),
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
        protected=True,
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["business_licence"])
    objects = HostUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("host unit")
        verbose_name_plural = _("host units")
        ordering = ["name"]
        indexes = [models.Index(fields=["verification"]), models.Index(fields=["code_state"])]

    def __str__(self):
        return self.name

    @classmethod
    def initial_code_state(cls, code):
        result = credit_code.check(code)
        return cls.CodeState.CHECKED if result.confirmed_by_checksum else cls.CodeState.UNCONFIRMED

    def save(self, *args, **kwargs):
        self.credit_code = credit_code.normalize(self.credit_code)
        if self._state.adding and self.code_state == self.CodeState.CHECKED:
            # A new unit's code state follows from its check character.
            self._meta.get_field("code_state").set_state(
                self, self.initial_code_state(self.credit_code)
            )
        super().save(*args, **kwargs)

    @property
    def code_unconfirmed(self):
        return self.code_state == self.CodeState.UNCONFIRMED

    @property
    def is_verified(self):
        return self.verification == self.Verification.VERIFIED

    def submission_blocker(self):
        """Why this unit may not submit an application now, or None."""
        if self.code_unconfirmed:
            return _(
                "The check character of the unit's credit code %(code)s does not match. Bureau "
                "staff must confirm the code before applications can be submitted; you may keep "
                "drafting meanwhile."
            ) % {"code": self.credit_code}
        return None

    def users(self):
        """The unit's users (those its notices go to)."""
        return [member.user for member in self.members.select_related("user")]

    def notify_transition(self, log):
        from django.urls import reverse

        from talentstation.notifications import notify_transition

        notify_transition(
            self.users(),
            subject=_("Your unit: %(change)s") % {"change": log.transition_label},
            log=log,
            link=reverse("stations:unit_detail", args=[self.pk]),
        )

    # Transitions: run them through talentstation.workflow.perform.
    @transition(
        field=verification,
        source=Verification.UNVERIFIED,
        target=Verification.VERIFIED,
        permission=rules.is_staff,
        conditions=[has_licence],
        custom={"label": TRANSITION_LABELS["verify"]},
    )
    def verify(self, *, by, reason=""):
        pass

    @transition(
        field=verification,
        source=Verification.UNVERIFIED,
        target=Verification.REJECTED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["reject_licence"], "reason_required": True},
    )
    def reject_licence(self, *, by, reason=""):
        pass

    @transition(
        field=verification,
        source=Verification.REJECTED,
        target=Verification.UNVERIFIED,
        permission=rules.is_admin_of_unit,
        conditions=[has_licence],
        custom={"label": TRANSITION_LABELS["resubmit_licence"]},
    )
    def resubmit_licence(self, *, by, reason=""):
        pass

    @transition(
        field=code_state,
        source=CodeState.UNCONFIRMED,
        target=CodeState.CONFIRMED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["confirm_code"], "reason_required": True},
    )
    def confirm_code(self, *, by, reason=""):
        pass


class UnitMember(models.Model):
    """A user acting for a host unit. The unit's administrator invites the others."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_membership",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        HostUnit, on_delete=models.CASCADE, related_name="members", verbose_name=_("host unit")
    )
    is_admin = models.BooleanField(_("unit administrator"), default=False)
    invited_by = recorded_by(_("invited by"), editable=True)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit member")
        verbose_name_plural = _("unit members")
        ordering = ["-is_admin", "joined_at"]

    def __str__(self):
        return f"{self.user} @ {self.unit}"
