"""The nominations part of the outcomes: its domain functions."""


def hub_context(user):
    """The context of this part's section of the outcomes hub (awards/_hub_nominations.html)."""
    return {}


def mine_context(unit, user):
    """The context of its section of a unit's outcomes page (awards/_mine_nominations.html)."""
    return {}
