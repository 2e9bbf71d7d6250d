"""What the evidence of a score sheet's subject measures, for the machine-readable conditions
of tiers (e.g. "accepted activities in the year ≥ 5").

Apps register their measures in ``AppConfig.ready()``: ``register_measure("activities",
_("accepted activities in the year"))``. A tier condition names a measure by its key; the
evidence given to :func:`talentstation.scoring.proposed_tier` maps keys to numbers.
"""

_measures: dict[str, object] = {}


def register_measure(key, label):
    _measures[key] = label


def measure_choices():
    return [(key, label) for key, label in sorted(_measures.items())]


def measure_label(key):
    return _measures.get(key, key)
