"""The core's own to-do items: for bureau staff, the policy basis past its validity (Art. 23:
the 2024 measures run two years from 2024-07-02)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import PolicyVersion
from .todos import Severity, Todo


def lapsed_policy(on=None):
    """The current policy version when its basis is past its validity, else None (one query)."""
    current = PolicyVersion.objects.order_by("-version").first()
    return current if current is not None and current.lapsed(on) else None


def policy_todos(user):
    policy = lapsed_policy()
    if policy is None:
        return []
    return [
        Todo(
            _("The policy basis %(title)s lapsed after %(date)s")
            % {"title": policy.title, "date": policy.valid_until},
            _(
                "Record its successor or an extension: save a new policy settings version with "
                "its validity (valid until a later date, or empty)."
            ),
            reverse("admin:talentstation_policyversion_add"),
            due=policy.valid_until,
            severity=Severity.DANGER,
        )
    ]


def register():
    from .rules import is_staff
    from .todos import register_todo_source

    register_todo_source(policy_todos, order=0, rule=is_staff)
