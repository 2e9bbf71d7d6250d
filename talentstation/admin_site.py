from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from .rules import is_staff


class PortalAdminSite(admin.AdminSite):
    site_header = _("Talent station portal — administration")
    site_title = _("Talent station portal")
    index_title = _("Bureau staff administration")

    def has_permission(self, request):
        """Only bureau staff use the admin; officials and experts never do."""
        return is_staff(request.user)


class PortalAdminConfig(AdminConfig):
    default_site = "talentstation.admin_site.PortalAdminSite"
