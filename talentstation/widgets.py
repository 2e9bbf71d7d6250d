"""Form widgets of the portal."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class OnePassSelect(forms.Select):
    """A select whose options are written in one pass, not through a template each.

    Django's select renders every option through its own template (with its attributes'
    template), which makes a long list slow: a list under publicity has a hundred entries and
    more. This writes the same markup — the field's attributes (id, class, aria-*), the
    options with their values and labels escaped, the selected one, option groups — directly.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        selected = set(self.format_value(value))
        return format_html("<select{}>{}</select>", flatatt(attrs), self.render_options(selected))

    def render_options(self, selected):
        parts = []
        state = {"found": False}
        for value, label in self.choices:
            if isinstance(label, list | tuple):
                options = self._options(label, selected, state)
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', value, options))
            else:
                parts.append(self._options([(value, label)], selected, state))
        return format_html_join("", "{}", ((part,) for part in parts))

    def _options(self, choices, selected, state):
        rows = []
        for value, label in choices:
            value = "" if value is None else str(value)
            # as Django's select: only the first matching option is selected
            chosen = (not state["found"] or self.allow_multiple_selected) and value in selected
            state["found"] |= chosen
            rows.append((value, " selected" if chosen else "", label))
        return format_html_join("", '<option value="{}"{}>{}</option>', rows)
