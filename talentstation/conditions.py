"""Conditions of transitions ("when"), with the message shown when they are not met."""


def condition(message, *, summary=None):
    """Decorate a condition function (of the object, True when the transition may run) with
    the message shown when it is not met — a text, or a function of the object returning one —
    and, for the lifecycle tables, a ``summary`` of what it checks (the message when that is a
    text)."""

    def wrap(func):
        func.message = message
        func.summary = summary if summary is not None else (None if callable(message) else message)
        return func

    return wrap
