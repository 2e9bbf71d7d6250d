"""What happens to the things a publicity lists, by purpose.

The publicity mechanism is generic; the app that owns the listed objects registers, for its
purpose, what starting the publicity, withdrawing an entry (objection upheld) and concluding
(publication) do to each listed object — always through workflow transitions:

    register(Publicity.Purpose.NEW_STATIONS, on_start=..., on_withdraw=..., on_conclude=...)
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Hooks:
    on_start: Callable  # (subject, *, by, publicity)
    on_withdraw: Callable  # (subject, *, by, reason)
    on_conclude: Callable  # (subject, *, by, publicity)


_REGISTRY: dict[str, Hooks] = {}


def register(purpose, *, on_start, on_withdraw, on_conclude):
    _REGISTRY[str(purpose)] = Hooks(on_start, on_withdraw, on_conclude)


def hooks_for(purpose) -> Hooks:
    try:
        return _REGISTRY[str(purpose)]
    except KeyError:
        raise LookupError(f"no publicity hooks registered for {purpose!r}") from None
