"""The public front door (一网通办 service page): what anonymous visitors see on ``/``.

The core imports no app, so the apps contribute their parts here in their ``AppConfig.ready()``:

- **sections** of the home page (``register_front_door_section(key, fn, order)``): ``fn()``
  returns a dict with the ``template`` to include and its values, or None to show nothing.
  Each section reads its data in a constant number of queries;
- **blank forms** of the policy's annexes (``register_annex_form(key, label, fn)``): ``fn()``
  returns ``(content, content_type, filename)``. A :class:`~talentstation.models.PolicyAnnex`
  names the form it serves (or holds an uploaded file instead).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    fn: Callable
    order: int


@dataclass(frozen=True)
class AnnexForm:
    key: str
    label: object  # a lazy translation
    fn: Callable  # () -> (bytes, content_type, filename)
    file_format: str  # shown beside the link: "PDF", "xlsx"


_SECTIONS: dict[str, Section] = {}
_FORMS: dict[str, AnnexForm] = {}


def register_front_door_section(key, fn, order):
    _SECTIONS[key] = Section(key, fn, order)


def section(key):
    """The values of one registered section (e.g. the call, for the service guide), or None."""
    registered = _SECTIONS.get(key)
    return registered.fn() if registered else None


def sections():
    """The home page's sections in order: ``[{"key": …, "template": …, …}]``."""
    shown = []
    for registered in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        values = registered.fn()
        if values:
            shown.append({"key": registered.key, **values})
    return shown


def register_annex_form(key, label, fn, file_format):
    _FORMS[key] = AnnexForm(key, label, fn, file_format)


def annex_form_choices():
    """The registered blank forms as choices (for ``PolicyAnnex.generated_form``)."""
    return [(key, form.label) for key, form in sorted(_FORMS.items())]


def annex_form(key) -> AnnexForm | None:
    return _FORMS.get(key)
