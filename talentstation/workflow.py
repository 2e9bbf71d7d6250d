"""The one way workflow state changes.

Each lifecycle is a django-fsm-2 state field (``protected=True``: plain assignment is refused)
with named transitions declared on the model. :func:`perform` is what views, admin actions and
other apps call: it checks the state ("when"), the transition's conditions and permission
("who"), requires a reason where the transition asks for one, runs the transition under a row
lock, writes the :class:`~talentstation.models.TransitionLog`, and returns the log entry.

Declare a transition like this::

    @transition(field=status, source=S.UNVERIFIED, target=S.VERIFIED,
                permission=staff_only, conditions=[has_licence],
                custom={"label": LABELS["verify"], "reason_required": False})
    def verify(self, *, by, reason=""):
        ...

A condition is a function of the object returning True when the transition may run; give it a
``message`` attribute (see :func:`condition`) so a refusal can say why in Chinese. A model may
define ``notify_transition(log)`` to tell the people a change concerns (talentstation.
notifications: inbox at once, e-mail after commit).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin, TransitionNotAllowed

from .models import TransitionLog


class TransitionRefused(Exception):
    """A transition that may not run now or by this user; ``str()`` says why, in the UI language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def condition(message):
    """Decorate a condition function with the message shown when it is not met (a text, or a
    function of the object returning one)."""

    def wrap(func):
        func.message = message
        return func

    return wrap


@dataclass(frozen=True)
class AvailableTransition:
    name: str
    label: str
    reason_required: bool


def _state_fields(obj):
    return [f.attname for f in obj._meta.concrete_fields if isinstance(f, FSMFieldMixin)]


def _fsm_meta(obj, name):
    method = getattr(type(obj), name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{type(obj).__name__}.{name} is not a transition")
    return meta


def _check(obj, name, user, reason):
    meta = _fsm_meta(obj, name)
    state = getattr(obj, meta.field.name)
    spec = meta.get_transition(state)
    if spec is None:
        raise TransitionRefused(
            _("“%(transition)s” is not possible while the %(object)s is %(state)s.")
            % {
                "transition": transition_label(obj, name),
                "object": obj._meta.verbose_name,
                "state": getattr(obj, f"get_{meta.field.name}_display")(),
            }
        )
    for cond in spec.conditions:
        if not cond(obj):
            message = getattr(cond, "message", None) or _("A condition is not met.")
            raise TransitionRefused(message(obj) if callable(message) else message)
    if not spec.has_perm(obj, user):
        raise TransitionRefused(
            _("You may not “%(transition)s” this %(object)s.")
            % {"transition": transition_label(obj, name), "object": obj._meta.verbose_name}
        )
    if spec.custom.get("reason_required") and not (reason or "").strip():
        raise TransitionRefused(
            _("“%(transition)s” needs a reason.") % {"transition": transition_label(obj, name)}
        )
    return meta


def transition_label(obj, name):
    meta = _fsm_meta(obj, name)
    for spec in meta.transitions.values():
        if spec.custom.get("label"):
            return str(spec.custom["label"])
    return name


def can_perform(obj, name, user, reason="x") -> bool:
    try:
        _check(obj, name, user, reason)
    except TransitionRefused:
        return False
    return True


def available_transitions(obj, user):
    """The transitions ``user`` may run on ``obj`` now (for buttons and admin actions)."""
    result = []
    for name in getattr(type(obj), "TRANSITION_LABELS", {}):
        if can_perform(obj, name, user):
            meta = _fsm_meta(obj, name)
            spec = meta.get_transition(getattr(obj, meta.field.name))
            result.append(
                AvailableTransition(
                    name, transition_label(obj, name), bool(spec.custom.get("reason_required"))
                )
            )
    return result


def perform(obj, name, *, by, reason="", **kwargs) -> TransitionLog:
    """Run transition ``name`` on ``obj`` for user ``by``; raise TransitionRefused if it may not.

    The object is re-read under a row lock first, so two people acting at once cannot both move
    it from the same state.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        if obj.pk is not None:
            # Lock the row, then re-read every state field (not only this one: a model with
            # two state fields would otherwise load the other one deferred, row by row).
            manager = type(obj)._default_manager
            list(manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
            obj.refresh_from_db(fields=_state_fields(obj))
        meta = _check(obj, name, by, reason)
        field = meta.field.name
        from_state = getattr(obj, field)
        try:
            getattr(obj, name)(by=by, reason=reason, **kwargs)
        except TransitionNotAllowed as exc:  # pragma: no cover - _check ran the same tests
            raise TransitionRefused(str(exc)) from exc
        obj.save()
        log = TransitionLog.objects.create(
            subject=obj,
            object_repr=str(obj)[:200],
            transition=name,
            from_state=from_state,
            to_state=getattr(obj, field),
            actor=by if by is not None and by.is_authenticated else None,
            reason=reason,
        )
        # The people the change concerns: inbox now, e-mail once the transaction commits.
        if notifier := getattr(obj, "notify_transition", None):
            notifier(log)
        return log


def history(obj):
    return TransitionLog.objects.for_object(obj).select_related("actor", "content_type")
