"""The core's parts of the public front door: the lists under publicity now, the service guide
summary, the FAQ and the policy documents (registered in TalentStationConfig.ready())."""

from django.db.models import Prefetch

from . import guide
from .front_door import register_front_door_section
from .models import (
    FaqEntry,
    GuideSection,
    PolicyAnnex,
    PolicyDocument,
    PolicyVersion,
    Publicity,
    ServiceContact,
)


def current_document():
    """The newest published policy document with its annexes (two queries), or None."""
    return (
        PolicyDocument.objects.published()
        .prefetch_related(Prefetch("annexes", queryset=PolicyAnnex.objects.order_by("number")))
        .first()
    )


def guide_sections(policy):
    return [
        {
            "section": section,
            "anchor": f"guide-{section.pk}",
            "blocks": guide.blocks(section.body, policy),
        }
        for section in GuideSection.objects.published()
    ]


def faq_entries(policy):
    return [
        {"entry": entry, "anchor": f"faq-{entry.pk}", "blocks": guide.blocks(entry.answer, policy)}
        for entry in FaqEntry.objects.published()
    ]


def publicity_section():
    running = Publicity.objects.filter(status=Publicity.Status.RUNNING).order_by("last_day", "pk")
    return {"template": "front_door/_publicity.html", "publicities": list(running)}


def guide_section():
    sections = GuideSection.objects.published().only("pk", "title")
    return {
        "template": "front_door/_guide.html",
        "guide_sections": [{"title": s.title, "anchor": f"guide-{s.pk}"} for s in sections],
        "contacts": list(ServiceContact.objects.all()),
    }


def faq_section():
    entries = faq_entries(PolicyVersion.current())
    return {"template": "front_door/_faq.html", "faqs": entries, "wide": True} if entries else None


def policy_section():
    document = current_document()
    return {"template": "front_door/_policy.html", "document": document} if document else None


def register():
    register_front_door_section("publicity", publicity_section, order=20)
    register_front_door_section("guide", guide_section, order=40)
    register_front_door_section("faq", faq_section, order=70)
    register_front_door_section("policy", policy_section, order=60)
