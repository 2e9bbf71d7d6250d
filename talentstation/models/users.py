from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

validate_mainland_mobile = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("Enter a mainland China mobile number of 11 digits starting with 1, e.g. 13800138000."),
    code="mobile",
)


def normalise_mobile(text):
    """A mobile number as typed ("+86 139-1234 5678") without spaces, hyphens and the +86 or
    0086 prefix; the validator then checks the 11 digits."""
    text = "".join((text or "").split()).replace("-", "")
    for prefix in ("+86", "0086"):
        text = text.removeprefix(prefix)
    return text


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who logs in. Roles are Django groups (talentstation.roles)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    mobile = models.CharField(
        _("mobile number"), max_length=11, blank=True, validators=[validate_mainland_mobile]
    )
    full_name = models.CharField(_("full name"), max_length=100, blank=True)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(
                fields=["mobile"], condition=~models.Q(mobile=""), name="user_mobile_unique"
            ),
        ]

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name()

    def save(self, *args, **kwargs):
        if self.email:
            self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
