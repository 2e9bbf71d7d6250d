"""Field shapes the portal's models repeat."""

from django.conf import settings
from django.db import models


def recorded_by(verbose_name, *, editable=False, related_name="+"):
    """Who did something (created, edited, uploaded…): optional, kept when the user goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=editable,
        related_name=related_name,
        verbose_name=verbose_name,
    )
