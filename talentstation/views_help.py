"""The staff help page of the lifecycles, generated from the transitions' declarations."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .rules import require, view_staff_pages
from .workflow import lifecycles


@login_required
def workflows(request):
    require(view_staff_pages, request.user)
    return render(request, "help/workflows.html", {"lifecycles": lifecycles()})
