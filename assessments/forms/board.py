"""The filters of the cycle board (a GET form: a value not among the choices is said so and
dropped, never an error page)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.filters import ListFilter

from .. import board


class CycleBoardFilter(ListFilter):
    q = forms.CharField(
        label=_("station or host unit"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    self_assessment = forms.ChoiceField(
        label=_("self-assessment"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        choices=[
            ("", _("all")),
            (board.FILED, _("submitted")),
            (board.NOT_FILED, _("not submitted")),
            (board.LATE, _("late")),
        ],
    )
    scoring = forms.ChoiceField(
        label=_("scoring"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        choices=[
            ("", _("all")),
            (board.READY, _("every sheet needed is submitted")),
            (board.NOT_READY, _("sheets still missing")),
            (board.SCORERS_LATE, _("a scorer is late")),
            (board.UNASSIGNED, _("no scorer assigned")),
        ],
    )

    def apply(self, rows, values):
        """The rows of :func:`assessments.board.board_queryset` that match the filters."""
        return board.filter_board(
            rows,
            query=values["q"],
            self_assessment=values["self_assessment"],
            scoring_state=values["scoring"],
        )
