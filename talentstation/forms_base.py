"""The one mechanism for the text people type, used by every form of the portal and of admin.

Text fields drop the characters nobody means to type but that change how a text is shown,
printed or compared:

- control characters (C0 and C1, U+0000–U+001F and U+007F–U+009F), except tab and line breaks
  in multi-line fields (where a CR LF line break becomes LF);
- bidirectional overrides, embeddings, isolates and marks (U+202A–U+202E, U+2066–U+2069,
  U+200E, U+200F, U+061C): U+202E makes “ABC” show as “CBA”;
- zero-width characters (U+200B–U+200D, U+2060, U+FEFF).

A bound form shows the cleaned text in the field, with an error saying what was removed, so the
person checks it and submits again; nothing else they typed is lost. Password fields are left
alone (they are never shown, and what was typed is what must be checked).

Every portal form derives from :class:`PortalForm` or :class:`PortalModelForm` (or mixes in
:class:`CleanTextMixin`); every ModelAdmin and inline mixes in :class:`CleanTextAdminMixin`.
``tests/test_input.py`` walks the forms and the admin site and fails on one that does not.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CONTROLS = "\x00-\x1f\x7f-\x9f"
_CONTROLS_EXCEPT_LINES = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # keeps \t, \n and \r
_DIRECTION = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"

_SINGLE_LINE = re.compile(f"[{_CONTROLS}{_DIRECTION}{_ZERO_WIDTH}]")
_MULTI_LINE = re.compile(f"[{_CONTROLS_EXCEPT_LINES}{_DIRECTION}{_ZERO_WIDTH}]")

# (what the message calls them, pattern), in the order the message names them.
_KINDS = (
    (_("control characters"), re.compile(f"[{_CONTROLS}]")),
    (_("text direction controls"), re.compile(f"[{_DIRECTION}]")),
    (_("zero-width characters"), re.compile(f"[{_ZERO_WIDTH}]")),
)


def strip_invisible(text, *, multiline=False):
    """``text`` without the characters above, and the sorted list of those removed.

    In multi-line text, line breaks become LF (browsers send CR LF but count it as one
    character against a ``maxlength``), which is not reported.
    """
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    pattern = _MULTI_LINE if multiline else _SINGLE_LINE
    removed = sorted(set(pattern.findall(text)))
    return (pattern.sub("", text) if removed else text), removed


def describe_removed(removed):
    """The removed characters for the message, e.g. “文字方向控制符（U+202E）”."""
    parts = []
    for label, pattern in _KINDS:
        codes = [f"U+{ord(char):04X}" for char in removed if pattern.fullmatch(char)]
        if codes:
            parts.append(_("%(kind)s (%(codes)s)") % {"kind": label, "codes": "、".join(codes)})
    return "、".join(str(part) for part in parts)


def invisible_characters_error(removed):
    return ValidationError(
        _(
            "Invisible characters were removed from this text: %(removed)s. Check the text "
            "shown here and submit again."
        ),
        code="invisible_characters",
        params={"removed": describe_removed(removed)},
    )


def is_cleaned_text(field):
    """Whether the mechanism cleans ``field``: every text field except passwords."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


def is_multiline(field):
    return isinstance(field.widget, forms.Textarea)


class CleanTextMixin:
    """Cleans every text field of a form (see the module's docstring).

    The cleaned value is what the fields validate and what the bound fields show, so a form
    shown again after an error holds the cleaned text; ``self.data`` keeps what was sent, so a
    form rebuilt from it reports the removal again.
    """

    def _text_fields(self):
        return {
            self.add_prefix(name): field
            for name, field in self.fields.items()
            if is_cleaned_text(field)
        }

    def _widget_data_value(self, widget, html_name):
        # Every bound field reads the submitted value through this method (Django's forms).
        value = super()._widget_data_value(widget, html_name)
        field = self._text_fields().get(html_name)
        if field is None or not isinstance(value, str):
            return value
        return strip_invisible(value, multiline=is_multiline(field))[0]

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or (self.empty_permitted and not self.has_changed()):
            return
        for name, field in self.fields.items():
            if field.disabled or not is_cleaned_text(field):
                continue
            sent = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if not isinstance(sent, str):
                continue
            _text, removed = strip_invisible(sent, multiline=is_multiline(field))
            if removed:
                self.add_error(name, invisible_characters_error(removed))


class PortalForm(CleanTextMixin, forms.Form):
    """The base of the portal's forms."""


class PortalModelForm(CleanTextMixin, forms.ModelForm):
    """The base of the portal's model forms, and of every admin form."""


class CleanTextAdminMixin:
    """For every ModelAdmin and inline: its forms clean text input like the portal's.

    An admin that needs its own form class derives it from :class:`CleanTextMixin` too.
    """

    form = PortalModelForm
