"""Where each role starts after logging in. The apps register their start pages (in their
``AppConfig.ready()``), so the core names none of their views."""

from .roles import primary_role

# role → function(user) returning a URL, or None when it has nothing for this user.
_START_PAGES = {}


def register_start_page(role, url_for):
    _START_PAGES[role] = url_for


def start_page_for(user):
    """The URL ``user`` starts on, or None for the public home page."""
    if not user.is_authenticated:
        return None
    url_for = _START_PAGES.get(primary_role(user))
    return url_for(user) if url_for else None
