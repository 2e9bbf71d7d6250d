"""The applicant's stepper: 申报 → 形式审查 → 专家评审 → 审议 → 公示 → 认定."""

import pytest
import time_machine
from django.urls import reverse

from stations import progress
from stations.models import Application
from stations.progress import Outcome, StepState
from talentstation.workflow import perform

from . import factories

S = Application.Status
OPEN = "2026-08-01 10:00 +0800"

EXPECTED = {
    S.DRAFT: ("apply", Outcome.CURRENT),
    S.SUBMITTED: ("formal_check", Outcome.CURRENT),
    S.RETURNED: ("formal_check", Outcome.RETURNED),
    S.REJECTED: ("formal_check", Outcome.STOPPED),
    S.ACCEPTED: ("expert_review", Outcome.CURRENT),
    S.SHORTLISTED: ("deliberation", Outcome.CURRENT),
    S.NOT_SELECTED: ("expert_review", Outcome.STOPPED),
    S.APPROVED: ("publicity", Outcome.CURRENT),
    S.IN_PUBLICITY: ("publicity", Outcome.CURRENT),
    S.CERTIFIED: ("certification", Outcome.DONE),
}


def test_every_status_has_a_step():
    assert set(EXPECTED) == set(S)
    for status, expected in EXPECTED.items():
        assert progress.position(status) == expected, status


@pytest.mark.parametrize(
    ("left", "step"),
    [
        (S.ACCEPTED, "expert_review"),
        (S.SHORTLISTED, "deliberation"),
        (S.APPROVED, "deliberation"),
        (S.IN_PUBLICITY, "publicity"),
    ],
)
def test_not_selected_stops_at_the_step_it_left(left, step):
    assert progress.position(S.NOT_SELECTED, left) == (step, Outcome.STOPPED)


class _Entry:
    def __init__(self, from_state, to_state, reason=""):
        self.from_state, self.to_state, self.reason = from_state, to_state, reason


class _Application:
    def __init__(self, status):
        self.status = status


def states(steps):
    return [step.state for step in steps]


def test_steps_before_are_done_the_current_one_marked_the_rest_upcoming():
    steps = progress.stepper(_Application(S.SHORTLISTED), [])
    D, C, U = StepState.DONE, StepState.CURRENT, StepState.UPCOMING
    assert states(steps) == [D, D, D, C, U, U]
    assert [step.current for step in steps] == [False, False, False, True, False, False]
    certified = progress.stepper(_Application(S.CERTIFIED), [])
    assert states(certified) == [D] * 6 and certified[-1].current


def test_the_reason_of_the_last_stop_is_on_its_step():
    history = [
        _Entry(S.SUBMITTED, S.ACCEPTED),
        _Entry(S.ACCEPTED, S.SHORTLISTED),
        _Entry(S.SHORTLISTED, S.NOT_SELECTED, "综合评估排名靠后"),
    ]
    steps = progress.stepper(_Application(S.NOT_SELECTED), history)
    assert states(steps)[3] == StepState.STOPPED
    assert steps[3].reason == "综合评估排名靠后"
    assert all(not step.reason for i, step in enumerate(steps) if i != 3)


@pytest.fixture
def returned(db, staff_user):
    application = factories.ApplicationFactory()
    applicant = factories.applicant_user(application.host_unit)
    with time_machine.travel(OPEN):
        perform(application, "submit", by=applicant)
        perform(application, "return_for_correction", by=staff_user, reason="请补充场地面积说明")
    return application, applicant


@pytest.mark.django_db
def test_the_page_shows_the_stepper_with_the_reason_of_the_return(client, returned):
    application, applicant = returned
    client.force_login(applicant)
    with time_machine.travel(OPEN):
        response = client.get(reverse("stations:application_detail", args=[application.pk]))
    assert response.status_code == 200
    steps = response.context["steps"]
    assert [step.key for step in steps] == [key for key, _label in progress.STEPS]
    assert steps[1].state == StepState.RETURNED and steps[1].reason == "请补充场地面积说明"
    html = response.content.decode()
    assert html.count('aria-current="step"') == 1
    assert 'class="portal-stepper"' in html and "请补充场地面积说明" in html
