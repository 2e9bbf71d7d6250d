"""The station page of bureau staff (officials read it): a station's whole life on one screen.

The page is a list of sections. Each app contributes its own from its ``AppConfig.ready()``::

    register_section("awards", _("Awards and payments"), awards_section, order=60,
                     template="awards/staff_station/awards.html")

``fn(station, viewer)`` returns the context of the section's small template (a dict), read in a
constant number of queries whatever the number of rows; ``viewer`` says who looks (its
``may_admin`` is True for bureau staff, who get the links into admin). A section whose ``fn``
returns None is left out. Sections are shown in ``order`` (then by key).
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from talentstation.rules import is_staff


@dataclass(frozen=True)
class Section:
    key: str
    title: object  # a lazy translation
    fn: object
    order: int
    template: str


@dataclass(frozen=True)
class Viewer:
    """Who looks at the page: bureau staff get the admin links and the actions."""

    user: object

    @property
    def may_admin(self):
        return bool(is_staff(self.user))


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: object
    html: str


_sections: dict[str, Section] = {}


def register_section(key, title, fn, *, order=100, template=None):
    """Add (or replace) the section ``key``; its template defaults to
    ``stations/staff/station/<key>.html``."""
    template = template or f"stations/staff/station/{key}.html"
    _sections[key] = Section(key, title, fn, order, template)


def sections():
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def render_sections(station, request):
    """The sections of ``station``, each rendered with its template, in their order."""
    viewer = Viewer(request.user)
    result = []
    for section in sections():
        context = section.fn(station, viewer)
        if context is None:
            continue
        context = {**context, "viewer": viewer, "section_key": section.key}
        html = render_to_string(section.template, context, request=request)
        result.append(RenderedSection(section.key, section.title, html))
    return result


def admin_link(viewer, obj):
    """The admin change page of ``obj`` for bureau staff, else None."""
    if not viewer.may_admin or obj is None:
        return None
    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


def with_admin_links(viewer, objects):
    """``[(obj, admin url or None)]``."""
    return [(obj, admin_link(viewer, obj)) for obj in objects]
