"""The file sent with an objection, for the bureau staff who investigate it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Objection
from .rules import download_objection_evidence, require
from .uploads import serve_protected


@login_required
def objection_evidence(request, pk):
    require(download_objection_evidence, request.user)
    objection = get_object_or_404(Objection, pk=pk)
    if not objection.evidence:
        raise Http404(_("No file was sent with this objection."))
    return serve_protected(objection.evidence, f"异议材料-{objection.pk}")
