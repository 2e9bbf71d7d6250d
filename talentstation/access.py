"""Shared shape of the per-app access helpers: a decision that says why.

Each app's ``access.py`` has one function per object kind and action returning a
:class:`Decision`; views call :func:`require`, which turns a refusal into a 403 page showing
the reason.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


def allow():
    return Decision(True)


def deny(reason):
    return Decision(False, str(reason))


def require(decision: Decision):
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision
