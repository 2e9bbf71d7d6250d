"""What happens to the things a publicity lists, by purpose.

The publicity mechanism is generic; the app that owns the listed objects registers, for its
purpose, what starting the publicity, withdrawing an entry (objection upheld) and concluding
(publication) do to each listed object — always through workflow transitions:

    register(Publicity.Purpose.NEW_STATIONS, on_start=..., on_withdraw=..., on_conclude=...,
             policy_of=...)
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Hooks:
    on_start: Callable  # (subject, *, by, publicity)
    on_withdraw: Callable  # (subject, *, by, reason)
    on_conclude: Callable  # (subject, *, by, publicity)
    policy_of: Callable  # (subject) -> the PolicyVersion that governs it


_REGISTRY: dict[str, Hooks] = {}


def register(purpose, *, on_start, on_withdraw, on_conclude, policy_of):
    _REGISTRY[str(purpose)] = Hooks(on_start, on_withdraw, on_conclude, policy_of)


def hooks_for(purpose) -> Hooks:
    try:
        return _REGISTRY[str(purpose)]
    except KeyError:
        raise LookupError(f"no publicity hooks registered for {purpose!r}") from None


def start(publicity, *, by, start_date):
    """Start ``publicity`` for the number of working days of the policy version its entries
    are governed by (e.g. the one pinned by their call)."""
    from talentstation.models import PolicyVersion
    from talentstation.workflow import perform

    first = publicity.items.first()
    policy = hooks_for(publicity.purpose).policy_of(first.subject) if first else None
    days = (policy or PolicyVersion.current()).publicity_working_days
    return perform(publicity, "start", by=by, start_date=start_date, working_days=days)
