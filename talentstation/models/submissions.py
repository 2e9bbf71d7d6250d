"""One-time submission tokens (see :mod:`talentstation.submissions`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionToken(models.Model):
    """A create form sent once: who sent it (user or session), its token, where it led."""

    owner = models.CharField(_("sender (user or session)"), max_length=64)
    token = models.UUIDField(_("one-time token"))
    path = models.CharField(_("form address"), max_length=500)
    result_url = models.CharField(_("result address"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("first submitted at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("submission token")
        verbose_name_plural = _("submission tokens")
        constraints = [
            models.UniqueConstraint(fields=["owner", "token"], name="one_submission_per_token")
        ]

    def __str__(self):
        return f"{self.owner[:12]} · {self.path}"
