"""Typesetting filters for the official documents (``{% load documents %}``).

- ``{{ title|title_lines }}``: the lines of a title (one, or balanced between words), each to be
  set on a line of its own (``<span class="line">``);
- ``{{ text|paragraphs }}``: like ``linebreaks``, with no single character alone on a last line;
- ``{{ text|keep_end_together }}``: one paragraph's text, the same.
"""

from django import template

from talentstation import documents

register = template.Library()

register.filter("title_lines", documents.title_lines)
register.filter("paragraphs", documents.paragraphs, is_safe=True)
register.filter("keep_end_together", documents.keep_end_together, is_safe=True)
