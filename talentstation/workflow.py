"""The one way workflow state changes.

Each lifecycle is a django-fsm-2 state field (``protected=True``: plain assignment is refused)
with named transitions declared on the model. :func:`perform` is what views, admin actions and
other apps call. In this order it checks **who** (the transition's permission rule — a refusal
says nothing about the object's state), **when** (the state, then the transition's conditions),
requires a reason where the transition asks for one, runs the transition under a row lock,
writes the :class:`~talentstation.models.TransitionLog`, and tells the people concerned.

Declare a transition like this (the rule comes from the app's ``rules.py``)::

    @transition(field=status, source=S.UNVERIFIED, target=S.VERIFIED,
                permission=rules.is_staff, conditions=[has_licence],
                custom={"label": LABELS["verify"], "reason_required": False})
    def verify(self, *, by, reason=""):
        ...

A condition is a function of the object returning True when the transition may run; give it
a message with :func:`condition` so a refusal can say why. A model may define
``notify_transition(log)`` to tell the people a change concerns (talentstation.notifications:
inbox at once, e-mail after commit). :func:`lifecycles` describes every lifecycle for the
generated tables (README, staff help page).
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import RETURN_VALUE, FSMFieldMixin, TransitionNotAllowed

from .conditions import condition
from .models import TransitionLog
from .rules import Refused, Rule

__all__ = ["Refused", "available_transitions", "can_perform", "condition", "perform"]


@dataclass(frozen=True)
class AvailableTransition:
    name: str
    label: str
    reason_required: bool


def _state_fields(obj):
    return [f.attname for f in obj._meta.concrete_fields if isinstance(f, FSMFieldMixin)]


def _fsm_meta(obj_or_model, name):
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    meta = getattr(getattr(model, name, None), "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{model.__name__}.{name} is not a transition")
    return meta


def permission_rule(obj_or_model, name) -> Rule:
    """The rule of who may run transition ``name`` (the same from every source state)."""
    for spec in _fsm_meta(obj_or_model, name).transitions.values():
        if not isinstance(spec.permission, Rule):
            raise TypeError(f"{name}: permission must be a talentstation.rules.Rule")
        return spec.permission
    raise ValueError(name)


def _check(obj, name, user, reason):
    meta = _fsm_meta(obj, name)
    # Who first: a user who may not run it learns nothing about the object's state.
    decision = permission_rule(obj, name).check(user, obj)
    if not decision:
        raise Refused(decision.reason)  # every rule has a reason, never the state
    state = getattr(obj, meta.field.name)
    spec = meta.get_transition(state)
    if spec is None:
        raise Refused(
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
            raise Refused(message(obj) if callable(message) else message)
    if spec.custom.get("reason_required") and not (reason or "").strip():
        raise Refused(
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
    except Refused:
        return False
    return True


def available_transitions(obj, user, names=None):
    """The transitions ``user`` may run on ``obj`` now (for buttons and admin actions)."""
    result = []
    for name in names if names is not None else getattr(type(obj), "TRANSITION_LABELS", {}):
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
    """Run transition ``name`` on ``obj`` for user ``by``; raise :class:`Refused` if it may not.

    The object is re-read under a row lock first, so two people acting at once cannot both move
    it from the same state. An object not saved yet (a record created by its first transition,
    such as an imported station) is saved by the transition; its log starts from no state.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        adding = obj.pk is None
        if not adding:
            # Lock the row, then re-read every state field (not only this one: a model with
            # two state fields would otherwise load the other one deferred, row by row).
            manager = type(obj)._default_manager
            list(manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
            obj.refresh_from_db(fields=_state_fields(obj))
        meta = _check(obj, name, by, reason)
        field = meta.field.name
        from_state = "" if adding else getattr(obj, field)
        try:
            getattr(obj, name)(by=by, reason=reason, **kwargs)
        except TransitionNotAllowed as exc:  # pragma: no cover - _check ran the same tests
            raise Refused(str(exc)) from exc
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


# Lifecycle tables, generated from the declarations (README, staff help page).


@dataclass(frozen=True)
class TransitionRow:
    name: str
    label: str
    sources: list
    targets: list
    who: str
    conditions: list
    reason_required: bool


@dataclass(frozen=True)
class Lifecycle:
    model: type
    field: str
    states: list
    transitions: list

    @property
    def title(self):
        field = self.model._meta.get_field(self.field)
        return f"{self.model._meta.verbose_name} · {field.verbose_name}"


def _state_labels(field, values):
    choices = dict(field.choices or ())
    return [str(choices.get(value, value)) for value in values]


def lifecycles():
    """Every lifecycle of every installed app: its states and, per transition, from which
    states to which, who may run it, its conditions and whether it needs a reason."""
    result = []
    for model in apps.get_models():
        names = getattr(model, "TRANSITION_LABELS", None)
        if not names:
            continue
        by_field = {}
        for name in names:
            meta = _fsm_meta(model, name)
            field = model._meta.get_field(
                meta.field.name if hasattr(meta.field, "name") else meta.field
            )
            specs = list(meta.transitions.values())
            target = specs[0].target
            targets = target.allowed_states if isinstance(target, RETURN_VALUE) else [target]
            conditions = []
            for cond in specs[0].conditions:
                summary = getattr(cond, "summary", None)
                conditions.append(str(summary) if summary else cond.__name__)
            rule = permission_rule(model, name)
            by_field.setdefault(field, []).append(
                TransitionRow(
                    name=name,
                    label=str(names[name]),
                    sources=_state_labels(field, [s.source for s in specs]),
                    targets=_state_labels(field, targets),
                    who=str(rule.label or gettext_lazy("(not named)")),
                    conditions=conditions,
                    reason_required=any(s.custom.get("reason_required") for s in specs),
                )
            )
        for field, rows in by_field.items():
            result.append(
                Lifecycle(
                    model=model,
                    field=field.name,
                    states=[str(label) for _value, label in field.choices],
                    transitions=rows,
                )
            )
    return result


def lifecycles_markdown():
    """The lifecycle tables as Markdown (``manage.py workflow_tables``; the README holds them)."""
    lines = []
    for cycle in lifecycles():
        lines += [f"#### {cycle.title}", "", "States: " + " · ".join(cycle.states), ""]
        lines += [
            "| transition | from | to | who | conditions | reason |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in cycle.transitions:
            cells = [
                f"{row.label} (`{row.name}`)",
                ", ".join(row.sources),
                ", ".join(row.targets),
                row.who,
                "; ".join(row.conditions) or "—",
                "required" if row.reason_required else "—",
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
