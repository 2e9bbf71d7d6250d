"""Permission rules: small predicates that compose and can say why they refuse.

A :class:`Rule` answers "may ``user`` do this (to ``obj``)?" with a :class:`Decision` that
carries the reason of a refusal. Rules combine like pretalx's predicates::

    view_application = (is_staff | is_official | is_unit_member | is_declared_expert).refusing(
        _("You may only see your own unit's applications.")
    )

``a | b`` allows when either allows, ``a & b`` when both do, ``~a`` when ``a`` refuses. A test
that knows the user is related to the object but still refuses (an expert who has not declared
yet, a unit user who is not its administrator) returns :func:`deny` with its own reason; that
*specific* reason wins over the combined rule's generic one. Generic refusals say nothing about
the object: pages turn them into 404 (:func:`require_visible`) or into a 403 that only says who
may act (:func:`require`).

Every app keeps its rules in its own ``rules.py``; the role predicates shared by all apps are
defined here once. Transitions name their rule as ``permission=`` and
:func:`talentstation.workflow.perform` asks it before it looks at the object's state.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import roles


class Refused(Exception):
    """Something a user asked for that may not happen (now, or by him); ``message`` says why,
    in the UI language. The one refusal of the portal: rules, transitions and services raise it."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    # True when the reason is about this user and object (he is related to it), False for a
    # generic refusal that must not reveal anything about the object.
    specific: bool = False

    def __bool__(self):
        return self.allowed


ALLOW = Decision(True)


def deny(reason):
    """A specific refusal, returned by a test that knows why this user may not."""
    return Decision(False, str(reason), specific=True)


class Rule:
    """A named predicate over ``(user, obj)``.

    ``test(user, obj)`` returns a bool or a :class:`Decision`; ``refusal`` is the generic reason
    given when it returns False; ``label`` names who the rule lets in ("bureau staff"), for the
    generated workflow tables.
    """

    def __init__(self, test, refusal="", label=""):
        self._test = test
        self.refusal = refusal
        self.label = label

    def check(self, user, obj=None) -> Decision:
        result = self._test(user, obj)
        if isinstance(result, Decision):
            return result
        if result:
            return ALLOW
        return Decision(False, str(self.refusal or _("You may not do this.")))

    def __call__(self, user, obj=None) -> bool:
        return self.check(user, obj).allowed

    def refusing(self, refusal):
        """The same rule with another generic refusal (specific reasons still win)."""
        return Rule(self._check_with(refusal), refusal, self.label)

    def labelled(self, label):
        return Rule(self._test, self.refusal, label)

    def _check_with(self, refusal):
        def test(user, obj):
            decision = self.check(user, obj)
            if decision or decision.specific:
                return decision
            return Decision(False, str(refusal))

        return test

    def __or__(self, other):
        def test(user, obj):
            refusals = []
            for rule in (self, other):
                decision = rule.check(user, obj)
                if decision:
                    return decision
                refusals.append(decision)
            specific = [d for d in refusals if d.specific]
            return specific[0] if specific else refusals[-1]

        label = _joined_label(_("%(a)s or %(b)s"), self.label, other.label)
        return Rule(test, other.refusal, label)

    def __and__(self, other):
        def test(user, obj):
            for rule in (self, other):
                decision = rule.check(user, obj)
                if not decision:
                    return decision
            return ALLOW

        label = _joined_label(_("%(a)s and %(b)s"), self.label, other.label)
        return Rule(test, self.refusal or other.refusal, label)

    def __invert__(self):
        return Rule(lambda user, obj: not self.check(user, obj), self.refusal, "")

    def __repr__(self):
        return f"<Rule {self.label or self._test!r}>"


class _Joined:
    """A label made of two labels, translated when shown."""

    def __init__(self, pattern, a, b):
        self.pattern, self.a, self.b = pattern, a, b

    def __str__(self):
        if not self.a or not self.b:
            return str(self.a or self.b or "")
        return str(self.pattern) % {"a": self.a, "b": self.b}


def _joined_label(pattern, a, b):
    return _Joined(pattern, a, b)


def rule(refusal="", label=""):
    """Decorate ``test(user, obj)`` into a :class:`Rule`."""

    def wrap(test):
        return Rule(test, refusal, label)

    return wrap


def require(rule_, user, obj=None) -> Decision:
    """A refusal becomes a 403 page showing its reason (which never reveals the object)."""
    decision = rule_.check(user, obj)
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision


def require_visible(rule_, user, obj) -> Decision:
    """For the object of a page: a user who may not see it gets a 404 and learns nothing about
    it; a user related to it (e.g. an expert who still has to declare) gets a 403 saying why."""
    decision = rule_.check(user, obj)
    if decision:
        return decision
    if decision.specific:
        raise PermissionDenied(decision.reason)
    raise Http404(gettext("Not found."))


def refuse_unless(rule_, user, obj=None) -> Decision:
    """For services: raise :class:`Refused` with the reason of a refusal."""
    decision = rule_.check(user, obj)
    if not decision:
        raise Refused(decision.reason)
    return decision


# The role predicates every app uses.


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_any_role(user, role_names):
    """Whether ``user`` has one of the roles named (``Role`` values; bureau staff also by the
    staff flag, as :func:`roles.is_bureau_staff` says). No names: nobody."""
    required = set(role_names)
    if not required or not _active(user):
        return False
    if roles.Role.STAFF.value in required and roles.is_bureau_staff(user):
        return True
    return bool(roles.roles_of(user) & required)


is_authenticated = Rule(
    lambda user, obj: _active(user), _("Please log in first."), _("logged-in users")
)
is_staff = Rule(
    lambda user, obj: roles.is_bureau_staff(user),
    _("Only bureau staff may do this."),
    _("bureau staff"),
)
is_official = Rule(
    lambda user, obj: roles.is_official(user), _("This is for officials."), _("officials")
)
is_expert = Rule(
    lambda user, obj: roles.is_expert(user), _("These pages are for experts."), _("experts")
)
# Users of host units (the role only: which unit is the stations app's business).
is_applicant = Rule(lambda user, obj: _active(user) and roles.has_role(user, roles.Role.APPLICANT))

# Pages of bureau staff that officials may read.
view_staff_pages = (is_staff | is_official).refusing(
    _("These pages are for bureau staff and officials.")
)

# Files of the publicity: an objection's evidence names people, so only bureau staff open it.
download_objection_evidence = is_staff.refusing(
    _("Only bureau staff may open the files sent with objections.")
)

# Mass notices from admin.
send_notices = is_staff.refusing(_("Only bureau staff can send notices."))

# Score sheets (any subject: an application's review, a station's assessment).
manage_templates = is_staff.refusing(_("Only bureau staff manage the versions of score sheets."))


@rule(_("Only the scorer fills in his own score sheet."), label=_("the scorer"))
def is_scorer(user, sheet):
    return bool(_active(user) and user.pk == sheet.scorer_id)


fill_sheet = is_scorer


# Scorer assignments (any subject: see talentstation.assignments).


@rule(_("This assignment is not yours."), label=_("the assigned scorer"))
def holds_assignment(user, assignment):
    return bool(_active(user) and assignment.scorer_id == user.pk)


def assignment_of(user, subject):
    """The user's own assignment to ``subject`` or None (one query, cached on the subject)."""
    from .models.assignments import ScorerAssignment

    cache = subject.__dict__.setdefault("_assignment_of", {})
    if user.pk not in cache:
        cache[user.pk] = ScorerAssignment.objects.for_subject(subject).filter(scorer=user).first()
    return cache[user.pk]


@rule(_("This is not assigned to you."), label=_("the assigned scorers"))
def is_assigned_scorer(user, subject):
    return bool(_active(user) and assignment_of(user, subject) is not None)


@rule(_("This is not assigned to you."), label=_("the assigned scorers who declared"))
def is_declared_scorer(user, subject):
    """A scorer opens his subject only when assigned to it and after declaring that he has no
    conflict of interest."""
    if not _active(user):
        return False
    assignment = assignment_of(user, subject)
    if assignment is None:
        return False
    if not assignment.declared:
        return deny(_("Declare that you have no conflict of interest before opening it."))
    return True


@rule(_("Only bureau staff and the scorer who made the visit may open its photos."))
def download_visit_photo(user, photo):
    return is_staff(user) or holds_assignment(user, photo.assignment)
