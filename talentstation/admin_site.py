from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .rules import is_staff


class PortalAdminSite(admin.AdminSite):
    site_header = _("Talent station portal — administration")
    site_title = _("Talent station portal")
    index_title = _("Bureau staff administration")

    def has_permission(self, request):
        """Only bureau staff use the admin; officials and experts never do."""
        return is_staff(request.user)

    def login(self, request, extra_context=None):
        """One door: the portal's login (with its second step, talentstation/two_factor.py)."""
        from django.contrib.auth import REDIRECT_FIELD_NAME
        from django.contrib.auth.views import redirect_to_login
        from django.urls import reverse

        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url)


def boolean_icon(value):
    """Django's yes/no icon, with its text alternative in the page's language: Django writes
    ``alt="True"``, which screen readers read out in English."""
    icon = {True: "yes", False: "no", None: "unknown"}[value]
    text = {True: gettext("Yes"), False: gettext("No"), None: gettext("Unknown")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)


class PortalAdminConfig(AdminConfig):
    default_site = "talentstation.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        # Admin's lists, read-only fields and filters import it from here when they render.
        admin_list._boolean_icon = boolean_icon
