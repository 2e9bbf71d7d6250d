"""Titles shown with a station on its public pages (directory page, plaque verification), given
by later apps without the stations app importing them: an app registers a function of the
station returning a list of texts (e.g. the awards app's excellent-station title of a year,
「2024—2025年度 福州高新区优秀人才驿站」)."""

_providers = []


def register(provider):
    """``provider(station)`` → a list of titles to show."""
    if provider not in _providers:
        _providers.append(provider)


def badges_for(station):
    return [title for provider in _providers for title in provider(station)]
