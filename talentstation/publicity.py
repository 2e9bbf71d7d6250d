"""What a publicity is for, and what happens to the things it lists.

The publicity mechanism (:class:`talentstation.models.Publicity`) is generic; each app that
puts lists under publicity registers its **purpose** in its ``AppConfig.ready()`` — the
purpose's name, and what starting the publicity, withdrawing an entry (objection upheld) and
concluding (publication) do to each listed object, always through workflow transitions::

    register("new_stations", label=_("stations to be certified"), on_start=...,
             on_withdraw=..., on_conclude=..., policy_of=...)

The purposes are the choices of ``Publicity.purpose``; the core names none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Purpose:
    value: str
    label: object  # a lazy translation
    on_start: Callable  # (subject, *, by, publicity)
    on_withdraw: Callable  # (subject, *, by, reason)
    on_conclude: Callable  # (subject, *, by, publicity)
    policy_of: Callable  # (subject) -> the PolicyVersion that governs it


_REGISTRY: dict[str, Purpose] = {}


def register(purpose, *, label, on_start, on_withdraw, on_conclude, policy_of):
    _REGISTRY[str(purpose)] = Purpose(
        str(purpose), label, on_start, on_withdraw, on_conclude, policy_of
    )


def purpose_choices():
    """The registered purposes as choices (for ``Publicity.purpose``)."""
    return [(value, purpose.label) for value, purpose in sorted(_REGISTRY.items())]


def hooks_for(purpose) -> Purpose:
    try:
        return _REGISTRY[str(purpose)]
    except KeyError:
        raise LookupError(f"no publicity purpose registered as {purpose!r}") from None


def start(publicity, *, by, start_date):
    """Start ``publicity`` for the number of working days of the policy version its entries
    are governed by (e.g. the one pinned by their call)."""
    from talentstation.models import PolicyVersion
    from talentstation.workflow import perform

    first = publicity.items.first()
    policy = hooks_for(publicity.purpose).policy_of(first.subject) if first else None
    days = (policy or PolicyVersion.current()).publicity_working_days
    return perform(publicity, "start", by=by, start_date=start_date, working_days=days)


def conclude(publicity, *, by, notice_number, notice_date):
    """Publication: the notice confirms the list; each entry still listed is concluded by its
    purpose (e.g. the station is certified)."""
    from talentstation.workflow import perform

    return perform(
        publicity, "conclude", by=by, notice_number=notice_number, notice_date=notice_date
    )
