"""Admin of the public front door: the policy documents and their annexes, the service guide,
its contact offices and the FAQ."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .forms_base import CleanTextAdminMixin, PortalModelForm
from .guide import PLACEHOLDERS
from .models import FaqEntry, GuideSection, PolicyAnnex, PolicyDocument, ServiceContact
from .uploads import UploadField


class PolicyAnnexForm(PortalModelForm):
    file = UploadField(
        label=_("uploaded file"),
        required=False,
        kinds=("pdf",),
        help_text=_("A PDF instead of the generated form, e.g. the stamped original."),
    )

    class Meta:
        model = PolicyAnnex
        fields = ("number", "title", "generated_form", "file")


class PolicyAnnexInline(CleanTextAdminMixin, admin.TabularInline):
    model = PolicyAnnex
    form = PolicyAnnexForm
    extra = 0


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(CleanTextAdminMixin, admin.ModelAdmin):
    list_display = ("title", "number", "issuer", "issued_on", "published")
    list_filter = ("published",)
    search_fields = ("title", "number")
    inlines = [PolicyAnnexInline]


def placeholder_help():
    rows = format_html_join(
        "",
        "<li><code>{}</code>: {}</li>",
        (("{" + name + "}", label) for name, (label, _fn) in PLACEHOLDERS.items()),
    )
    intro = _("Values of the current policy settings the text may name in braces:")
    return format_html("{}<ul>{}</ul>", intro, rows)


class PlaceholderHelpMixin:
    """The placeholders the text may name, listed above the form."""

    def get_fieldsets(self, request, obj=None):
        fields = self.get_fields(request, obj)
        return [(None, {"fields": fields, "description": placeholder_help()})]


@admin.register(GuideSection)
class GuideSectionAdmin(CleanTextAdminMixin, PlaceholderHelpMixin, admin.ModelAdmin):
    list_display = ("title", "order", "published")
    list_editable = ("order", "published")
    fields = ("title", "body", "order", "published")


@admin.register(FaqEntry)
class FaqEntryAdmin(CleanTextAdminMixin, PlaceholderHelpMixin, admin.ModelAdmin):
    list_display = ("question", "order", "published")
    list_editable = ("order", "published")
    list_filter = ("published",)
    fields = ("question", "answer", "order", "published")


@admin.register(ServiceContact)
class ServiceContactAdmin(CleanTextAdminMixin, admin.ModelAdmin):
    list_display = ("office", "phone", "address", "order")
    list_editable = ("order",)
