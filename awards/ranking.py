"""The ranking part of the outcomes: its domain functions."""


def hub_context(user):
    """The context of this part's section of the outcomes hub (awards/_hub_ranking.html)."""
    return {}


def mine_context(unit, user):
    """The context of its section of a unit's outcomes page (awards/_mine_ranking.html)."""
    return {}
