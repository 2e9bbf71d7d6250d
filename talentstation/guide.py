"""The texts of the service guide and the FAQ: values of the current policy settings named in
braces ({publicity_working_days}…) are filled in, and a text becomes paragraphs and lists.

Placeholders make the guide follow the rules: staff save a new policy settings version and the
guide says the new number, with no edit of the guide.
"""

import re

from django.utils.translation import gettext_lazy as _

from .numbers import plain_number


def _awards(policy):
    return "、".join(
        f"第{rank}名{plain_number(amount)}元"
        for rank, amount in enumerate(policy.award_amounts, start=1)
    )


# name → (what it is, how to read it from a PolicyVersion)
PLACEHOLDERS = {
    "policy_title": (_("policy basis"), lambda p: p.title),
    "publicity_working_days": (
        _("publicity period (working days)"),
        lambda p: p.publicity_working_days,
    ),
    "min_activities_per_year": (
        _("minimum activities a year"),
        lambda p: p.min_activities_per_year,
    ),
    "min_person_times_per_year": (
        _("minimum person-times served a year"),
        lambda p: p.min_person_times_per_year,
    ),
    "pass_mark": (_("assessment pass mark (points)"), lambda p: plain_number(p.pass_mark)),
    "excellent_count": (_("number of excellent stations"), lambda p: p.excellent_count),
    "excellent_title": (_("title of an excellent station"), lambda p: p.excellent_title),
    "awards": (_("awards by rank (yuan)"), _awards),
    "rectification_days": (_("rectification period (days)"), lambda p: p.rectification_days),
    "usage_report_years_after_payment": (
        _("usage report due (years after the payment)"),
        lambda p: p.usage_report_years_after_payment,
    ),
    "upload_max_mb": (_("upload size limit (MB per file)"), lambda p: p.upload_max_mb),
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_BULLET = re.compile(r"^[-•·]\s+")
_NUMBERED = re.compile(r"^\d{1,2}[.、．]\s*")


def unknown_placeholders(text):
    return sorted({name for name in _PLACEHOLDER.findall(text or "") if name not in PLACEHOLDERS})


def fill(text, policy):
    """``text`` with each known ``{name}`` replaced by the value of ``policy``; an unknown one
    is left as it is (admin refuses to save it)."""

    def value(match):
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        return str(PLACEHOLDERS[name][1](policy))

    return _PLACEHOLDER.sub(value, text or "")


def blocks(text, policy):
    """The filled ``text`` as blocks: ``{"kind": "p", "text": …}``, ``{"kind": "ul" | "ol",
    "items": […]}``; lines starting with "- " form a list, "1. " a numbered list."""
    result = []
    for line in fill(text, policy).splitlines():
        line = line.strip()
        if not line:
            continue
        for kind, pattern in (("ul", _BULLET), ("ol", _NUMBERED)):
            if pattern.match(line):
                item = pattern.sub("", line, count=1)
                if result and result[-1]["kind"] == kind:
                    result[-1]["items"].append(item)
                else:
                    result.append({"kind": kind, "items": [item]})
                break
        else:
            result.append({"kind": "p", "text": line})
    return result
