"""Public pages of lists under publicity (no login): the list, objecting, the notice PDF.

Nothing personal is shown: no objector, no contact person, no scores or expert names.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .clients import client_key
from .documents import pdf_response, render_pdf
from .forms_publicity import ObjectionForm
from .models import Publicity, PublicityItem
from .submissions import submit_once


def _public(pk):
    return get_object_or_404(Publicity.objects.exclude(status=Publicity.Status.DRAFT), pk=pk)


def publicity_list(request):
    publicities = Publicity.objects.exclude(status=Publicity.Status.DRAFT).order_by("-first_day")
    return render(request, "publicity/list.html", {"publicities": publicities})


@submit_once
def publicity_detail(request, pk):
    publicity = _public(pk)
    form = ObjectionForm(publicity=publicity) if publicity.accepts_objections else None
    if request.method == "POST" and publicity.accepts_objections:
        form = ObjectionForm(
            request.POST, request.FILES, publicity=publicity, client=client_key(request)
        )
        if form.is_valid() and form.save():
            messages.success(
                request,
                _(
                    "Your objection has been received. Bureau staff will investigate it and "
                    "contact you."
                ),
            )
            return redirect("publicity_detail", pk=publicity.pk)
    context = {
        "publicity": publicity,
        "items": publicity.items.filter(status=PublicityItem.Status.LISTED),
        "form": form,
    }
    status = 200
    if form is not None and form.errors:
        status = 429 if form.limited else 400
    return render(request, "publicity/detail.html", context, status=status)


def publicity_notice_pdf(request, pk):
    publicity = _public(pk)
    context = {
        "publicity": publicity,
        "items": publicity.items.filter(status=PublicityItem.Status.LISTED),
    }
    pdf = render_pdf("publicity/notice_pdf.html", context)
    return pdf_response(pdf, f"公示-{publicity.title}.pdf")
