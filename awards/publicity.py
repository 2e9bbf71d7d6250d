"""The publicity of the excellent stations: the awards app's purpose ``excellent_stations`` of
the generic publicity (talentstation.publicity), registered by setup_ranking. Its hooks live in
:mod:`awards.ranking`."""

from talentstation.publicity import register

from . import ranking


def register_purpose():
    register(
        ranking.EXCELLENT_STATIONS,
        label=ranking.PURPOSE_LABEL,
        on_start=ranking.on_start,
        on_withdraw=ranking.on_withdraw,
        on_conclude=ranking.on_conclude,
        policy_of=ranking.policy_of,
    )
