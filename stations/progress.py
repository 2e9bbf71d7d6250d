"""Where an application stands in the whole certification (Art. 10), as the applicant's stepper:
申报 → 形式审查 → 专家评审 → 审议 → 公示 → 认定.

:func:`position` maps every :class:`~stations.models.Application.Status` to its step (a pure
function); :func:`stepper` builds the steps of one application from its status and its
transition log (the reason of a return, a rejection or a "not selected").
"""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from .models import Application

S = Application.Status

STEPS = (
    ("apply", pgettext_lazy("application step", "Application")),
    ("formal_check", pgettext_lazy("application step", "Formal check")),
    ("expert_review", pgettext_lazy("application step", "Expert review")),
    ("deliberation", pgettext_lazy("application step", "Deliberation")),
    ("publicity", pgettext_lazy("application step", "Publicity")),
    ("certification", pgettext_lazy("application step", "Certification")),
)
STEP_INDEX = {key: index for index, (key, _label) in enumerate(STEPS)}


class Outcome:
    CURRENT = "current"  # the application is at this step
    RETURNED = "returned"  # back with the unit for correction at this step
    STOPPED = "stopped"  # ended here: rejected or not selected
    DONE = "done"  # the whole process is done (certified)


class StepState:
    DONE = "done"
    CURRENT = "current"
    RETURNED = "returned"
    STOPPED = "stopped"
    UPCOMING = "upcoming"


STATE_LABELS = {
    StepState.DONE: pgettext_lazy("application step", "done"),
    StepState.CURRENT: pgettext_lazy("application step", "current step"),
    StepState.RETURNED: pgettext_lazy("application step", "returned for correction"),
    StepState.STOPPED: pgettext_lazy("application step", "ended here"),
    StepState.UPCOMING: pgettext_lazy("application step", "not reached yet"),
}

# status → (step, outcome); a "not selected" application stopped at the step it was in.
_POSITIONS = {
    S.DRAFT: ("apply", Outcome.CURRENT),
    S.SUBMITTED: ("formal_check", Outcome.CURRENT),
    S.RETURNED: ("formal_check", Outcome.RETURNED),
    S.REJECTED: ("formal_check", Outcome.STOPPED),
    S.ACCEPTED: ("expert_review", Outcome.CURRENT),
    S.SHORTLISTED: ("deliberation", Outcome.CURRENT),
    S.APPROVED: ("publicity", Outcome.CURRENT),
    S.IN_PUBLICITY: ("publicity", Outcome.CURRENT),
    S.CERTIFIED: ("certification", Outcome.DONE),
}
# The step a "not selected" application left, by the state it was in.
_NOT_SELECTED_FROM = {
    S.ACCEPTED: "expert_review",
    S.SHORTLISTED: "deliberation",
    S.APPROVED: "deliberation",
    S.IN_PUBLICITY: "publicity",
}


def position(status, not_selected_from=None):
    """(step key, outcome) of an application in ``status``; for ``not_selected``, the step
    is the one of the state it left (``not_selected_from``), the expert review if unknown."""
    if status == S.NOT_SELECTED:
        return _NOT_SELECTED_FROM.get(not_selected_from, "expert_review"), Outcome.STOPPED
    return _POSITIONS[status]


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str
    reason: str = ""
    current: bool = False  # where the application stands (marked aria-current="step")

    @property
    def state_label(self):
        return STATE_LABELS[self.state]


def _last_entry_into(history, status):
    for entry in reversed(list(history)):
        if entry.to_state == status:
            return entry
    return None


def stepper(application, history):
    """The six steps of ``application``; ``history`` is its transition log (oldest first,
    already loaded for the page: no query of its own)."""
    entry = _last_entry_into(history, application.status)
    key, outcome = position(application.status, entry.from_state if entry else None)
    at = STEP_INDEX[key]
    reason = entry.reason if entry and outcome in (Outcome.RETURNED, Outcome.STOPPED) else ""
    current_state = {
        Outcome.CURRENT: StepState.CURRENT,
        Outcome.RETURNED: StepState.RETURNED,
        Outcome.STOPPED: StepState.STOPPED,
        Outcome.DONE: StepState.DONE,
    }[outcome]
    steps = []
    for index, (step_key, label) in enumerate(STEPS):
        if index < at:
            state = StepState.DONE
        elif index == at:
            state = current_state
        else:
            state = StepState.UPCOMING
        here = index == at
        steps.append(Step(step_key, label, state, reason if here else "", current=here))
    return steps
