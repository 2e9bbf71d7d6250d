"""Admin of the working-day calendar (工作日历): staff-entered holidays and make-up working days."""

from django.contrib import admin
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .admin_tools import HistoryAdmin
from .calendar import year_summary
from .forms_base import CleanTextAdminMixin
from .models import CalendarDay, CalendarYear


class CalendarDayInline(CleanTextAdminMixin, admin.TabularInline):
    model = CalendarDay
    extra = 3
    fields = ("date", "kind", "name")


@admin.register(CalendarYear)
class CalendarYearAdmin(CleanTextAdminMixin, HistoryAdmin):
    """A year's public holidays and make-up working days, entered from the State Council notice.
    The preview lists what the portal makes of the saved data, to check against the notice."""

    list_display = ("year", "complete", "day_count", "source", "updated_at", "updated_by")
    list_filter = ("complete",)
    list_select_related = ("updated_by",)
    search_fields = ("year", "source", "note")
    fields = (
        "year",
        "complete",
        "source",
        "note",
        "arrangement_preview",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    )
    readonly_fields = (
        "arrangement_preview",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    )
    inlines = [CalendarDayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_day_count=Count("days"))

    @admin.display(description=_("days entered"), ordering="_day_count")
    def day_count(self, obj):
        return obj._day_count

    @admin.display(description=_("check against the official notice"))
    def arrangement_preview(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown after the year is saved.")
        summary = year_summary(obj.year)
        basis = {
            "staff": _(
                "Marked complete: the portal uses the data entered here for every day of this year."
            ),
            "package": _(
                "Not marked complete: the portal uses the built-in official calendar "
                "for this year; the days entered here override single days."
            ),
            "staff_incomplete": _(
                "Not marked complete and unknown to the built-in official "
                "calendar: publicity periods that touch this year are refused. "
                "Shown as it will be once the year is marked complete."
            ),
        }[summary["basis"]]

        def day_list(days):
            if not days:
                return format_html("<p>{}</p>", _("none"))
            return format_html(
                "<ul>{}</ul>",
                format_html_join(
                    "",
                    "<li>{} {}</li>",
                    ((date_format(day, "Y-m-d l"), name) for day, name in days),
                ),
            )

        return format_html(
            "<p>{}</p><p><strong>{}</strong></p>{}<p><strong>{}</strong></p>{}",
            basis,
            _("Weekdays off (%(count)s)") % {"count": len(summary["weekdays_off"])},
            day_list(summary["weekdays_off"]),
            _("Weekend days worked (%(count)s)") % {"count": len(summary["weekend_workdays"])},
            day_list(summary["weekend_workdays"]),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarDay)
class CalendarDayAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("date", "weekday", "kind", "name", "year")
    list_filter = ("year", "kind")
    list_select_related = ("year",)
    search_fields = ("name",)
    date_hierarchy = "date"

    @admin.display(description=_("day of the week"))
    def weekday(self, obj):
        return date_format(obj.date, "l")
