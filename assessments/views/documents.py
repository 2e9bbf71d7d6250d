"""Downloads of Annex 2 「福州高新区人才驿站考核表」: one station's sheet, the whole cycle's
sheets as one PDF, and the xlsx of all its stations."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from talentstation.documents import pdf_response
from talentstation.rules import require, require_visible
from talentstation.spreadsheets import XLSX_CONTENT_TYPE

from .. import documents, rules
from ..models import Assessment, AssessmentCycle


def _cycle(request, pk):
    require(rules.download_cycle_documents, request.user)
    return get_object_or_404(
        AssessmentCycle.objects.select_related("policy_version", "rubric"),
        pk=pk,
        rubric__isnull=False,  # opened: a cycle in preparation has no sheets yet
    )


@login_required
def assessment_annex2(request, pk):
    """One station's sheet: staff and officials; the station's users once the cycle closed."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("cycle__rubric", "station__host_unit"), pk=pk
    )
    require_visible(rules.download_annex2, request.user, assessment)
    pdf = documents.annex2_pdf(assessment.cycle, [assessment])
    return pdf_response(pdf, documents.annex2_filename(assessment.cycle, assessment))


@login_required
def cycle_annex2(request, pk):
    cycle = _cycle(request, pk)
    return pdf_response(documents.annex2_pdf(cycle), documents.annex2_filename(cycle))


@login_required
def cycle_annex2_xlsx(request, pk):
    cycle = _cycle(request, pk)
    response = HttpResponse(documents.annex2_xlsx(cycle), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, documents.annex2_xlsx_filename(cycle)
    )
    response["Cache-Control"] = "private, no-store"
    return response
