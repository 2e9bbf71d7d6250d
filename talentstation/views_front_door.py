"""Public pages of the front door (no login): the policy text with its annexes as blank forms,
and the service guide (办事指南) with the FAQ."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from . import front_door, policy_text
from .front_door_pages import current_document, faq_entries, guide_sections
from .models import PolicyAnnex, PolicyDocument, PolicyVersion, ServiceContact
from .uploads import serve_protected


def policy_page(request, pk=None):
    """政策原文: the newest published policy document (or the one asked for), article by article."""
    if pk is None:
        document = current_document()
        if document is None:
            raise Http404
    else:
        document = get_object_or_404(
            PolicyDocument.objects.published().prefetch_related("annexes"), pk=pk
        )
    others = (
        PolicyDocument.objects.published()
        .exclude(pk=document.pk)
        .only("pk", "title", "number", "issued_on")
    )
    text = policy_text.parse(document.text)
    annexes = list(document.annexes.all())
    by_number = {annex.number: annex for annex in annexes}
    context = {
        "document": document,
        "text": text,
        "annexes": annexes,
        "annex_texts": [(annex, by_number.get(annex.number)) for annex in text.annexes],
        "others": others,
    }
    return render(request, "front_door/policy.html", context)


def policy_annex(request, pk):
    """An annex of a published policy document: the uploaded file, else the generated form."""
    annex = get_object_or_404(
        PolicyAnnex.objects.select_related("document"), pk=pk, document__published=True
    )
    if annex.file:
        return serve_protected(annex.file, f"附件{annex.number}-{annex.title}")
    form = front_door.annex_form(annex.generated_form)
    if form is None:
        raise Http404
    content, content_type, filename = form.fn()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def service_guide(request):
    """办事指南: the guide sections filled with the current policy settings, the call's dates and
    documents, the contacts and the FAQ."""
    policy = PolicyVersion.current()
    context = {
        "policy": policy,
        "sections": guide_sections(policy),
        "call": front_door.section("call"),
        "contacts": ServiceContact.objects.all(),
        "faqs": faq_entries(policy),
        "document": current_document(),
    }
    return render(request, "front_door/guide.html", context)
