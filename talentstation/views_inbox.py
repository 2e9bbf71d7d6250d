"""The inbox: a user's notifications, newest first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import notifications as service
from .models import Notification

PAGE_SIZE = 20


@login_required
def inbox(request):
    notifications = Notification.objects.for_user(request.user).order_by("-created_at", "-pk")
    context = {
        "page": Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page")),
        # Also shown in the navbar: counted once for both.
        "unread_notification_count": service.unread_count(request.user),
    }
    return render(request, "inbox/list.html", context)


@login_required
def open_notification(request, pk):
    """Mark the notification read and go to the page it is about (when that is a page of the
    portal), or show it."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    service.mark_read(notification)
    if service.is_safe_link(notification.link):
        return HttpResponseRedirect(notification.link)
    return render(request, "inbox/detail.html", {"notification": notification})


@require_POST
@login_required
def mark_all_read(request):
    count = service.mark_all_read(request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect("inbox")
