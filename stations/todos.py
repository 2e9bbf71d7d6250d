"""The to-do items of the certification (registered with :mod:`talentstation.todos`):

- applicant: a draft to finish before its call closes, an application returned for correction;
- expert: conflict declarations, visits and score sheets of his application reviews.

The staff's certification items are the lists of the workflow board (:mod:`stations.board`),
shown on the same page as the rest of their to-do list.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from talentstation.dates import today
from talentstation.todos import Severity, Todo, first_rows

from . import review, rules
from .models import Application

FIRST_ROWS = 5


def applicant_todos(user):
    """One query: the unit's drafts in open calls and its returned applications (a returned
    application may be corrected also after its call closed), with their calls."""
    unit = rules.unit_of(user)
    if unit is None:
        return []
    day = today()
    S = Application.Status
    open_draft = Q(status=S.DRAFT, call__open_date__lte=day, call__close_date__gte=day)
    applications = (
        Application.objects.filter(host_unit=unit)
        .filter(open_draft | Q(status=S.RETURNED))
        .select_related("call")
        .order_by("call__close_date")
    )
    todos = []
    for application in applications:
        url = reverse("stations:application_detail", args=[application.pk])
        name = application.station_name or application.number
        if application.status == S.RETURNED:
            todos.append(
                Todo(
                    _("Correct and resubmit application %(number)s") % {"number": name},
                    _("Bureau staff returned it for correction; the reason is on its page."),
                    url,
                    # Before the close date the call's; afterwards no date (still to do).
                    due=application.call.close_date if application.call.close_date >= day else None,
                    severity=Severity.WARNING,
                )
            )
        else:
            todos.append(
                Todo(
                    _("Finish and submit the application %(number)s") % {"number": name},
                    _("The call “%(call)s” closes on %(date)s.")
                    % {"call": application.call.title, "date": application.call.close_date},
                    url,
                    due=application.call.close_date,
                )
            )
    return todos


def expert_todos(user):
    """The expert's open application reviews: at most three queries."""
    open_reviews = (
        review.assignments_of(user)
        .filter(application__status=Application.Status.ACCEPTED)
        .exclude(stage=review.ReviewStage.DONE)
    )
    count, rows = first_rows(open_reviews, FIRST_ROWS)
    texts = {
        review.ReviewStage.DECLARE: _("Declare any conflict of interest: %(subject)s"),
        review.ReviewStage.VISIT: _("Record the on-site visit: %(subject)s"),
        review.ReviewStage.SCORE: _("Fill and submit the score sheet: %(subject)s"),
    }
    todos = [
        Todo(
            texts[row.stage] % {"subject": row.subject.station_name or row.subject.number},
            _("Expert review of application %(number)s") % {"number": row.subject.number},
            reverse("stations:expert_assignment", args=[row.pk]),
            due=row.due_date,
            severity=Severity.WARNING if row.stage == review.ReviewStage.DECLARE else Severity.INFO,
        )
        for row in rows
    ]
    if count > len(rows):
        todos.append(
            Todo(
                _("More application reviews"),
                _("All your open reviews are on your assignments page."),
                reverse("stations:expert_assignments"),
                count=count - len(rows),
            )
        )
    return todos


def register():
    from talentstation.rules import is_expert
    from talentstation.todos import register_todo_source

    register_todo_source(applicant_todos, order=10, rule=rules.is_unit_user)
    register_todo_source(expert_todos, order=10, rule=is_expert)
