"""Initial values a new application takes from what later apps know about its unit.

``stations`` imports no later app: an app registers, in its ``AppConfig.ready()``, a function
giving the initial text of one Annex 1 row for a unit::

    register_prefill("talent_recommendations", referrals_text)

:func:`initial_values` is asked when a new application is opened (``services.start_application``).
"""

_prefills: dict = {}


def register_prefill(field_name, fn):
    """``fn(unit) -> str`` gives the initial value of Annex 1 row ``field_name``."""
    _prefills[field_name] = fn


def initial_values(unit) -> dict:
    """{field name: initial text} for a new application of ``unit`` (empty texts left out),
    cut to the row's maximum length."""
    from .models import Application

    values = {}
    for name, fn in _prefills.items():
        text = (fn(unit) or "").strip()
        if text:
            values[name] = text[: Application._meta.get_field(name).max_length]
    return values
