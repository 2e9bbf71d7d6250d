"""What waits on each user: the to-do list of every role.

The apps register their sources in ``AppConfig.ready()`` (the core names none of their
models)::

    register_todo_source(unit_todos, order=10, rule=rules.is_unit_user)

A source is a function ``fn(user) -> list[Todo]``; it is asked only for a user its rule (a
:class:`~talentstation.rules.Rule`: the role it is for) lets in, and costs a constant number
of queries whatever the number of rows (a count and the first rows). :func:`for_user`
collects the items, soonest due first; the template tag ``{% todo_list %}``
(``talentstation/templatetags/todos.py``) shows them.
"""

import datetime
from dataclasses import dataclass

from .dates import today


class Severity:
    INFO = "info"
    WARNING = "warning"
    DANGER = "danger"


@dataclass(frozen=True)
class Todo:
    """One thing a user has to do (or a group of like things, with their ``count``)."""

    title: str
    detail: str = ""
    url: str = ""
    due: datetime.date | None = None
    severity: str = Severity.INFO
    count: int = 1

    def overdue(self, on=None) -> bool:
        return self.due is not None and self.due < (on or today())


@dataclass(frozen=True)
class _Source:
    fn: object
    order: int
    rule: object  # a talentstation.rules.Rule over (user, None)


_SOURCES: list[_Source] = []


def register_todo_source(fn, order=50, *, rule):
    """Register ``fn(user) -> list[Todo]`` for the users ``rule`` lets in (``is_staff``,
    ``is_expert``…); registering the same function again replaces it."""
    _SOURCES[:] = [s for s in _SOURCES if s.fn is not fn]
    _SOURCES.append(_Source(fn, order, rule))
    _SOURCES.sort(key=lambda s: s.order)


def sources_for(user):
    if user is None or not user.is_authenticated:
        return []
    return [s for s in _SOURCES if s.rule(user)]


def _sort_key(indexed):
    position, todo = indexed
    # Dated items first, soonest first; undated ones keep the order of their sources.
    return (todo.due is None, todo.due or datetime.date.max, position)


def for_user(user) -> list[Todo]:
    """Every item waiting on ``user``, the soonest due first."""
    todos = [todo for source in sources_for(user) for todo in source.fn(user)]
    return [todo for _position, todo in sorted(enumerate(todos), key=_sort_key)]


def first_rows(queryset, limit):
    """(count, the first ``limit`` rows): one query, two when there are more rows."""
    rows = list(queryset[: limit + 1])
    count = len(rows) if len(rows) <= limit else queryset.count()
    return count, rows[:limit]
