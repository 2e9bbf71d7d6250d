"""What the rectification part of the awards app registers with the core (publicity purposes, page
transitions, demo steps, start pages), called from AwardsConfig.ready()."""


def register():
    pass
