"""Pages of a host unit's own data (also readable by staff and officials)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentstation.access_log import VIEW, record_access
from talentstation.dates import today
from talentstation.pages import attempt
from talentstation.rules import require, require_visible
from talentstation.uploads import serve_protected
from talentstation.workflow import history

from .. import rules, services
from ..forms import InviteMemberForm, MemberActionForm
from ..models import Call, HostUnit, Station


@login_required
def my_unit(request):
    unit = rules.unit_of(request.user)
    if unit is None:
        messages.info(request, _("Your account does not belong to a host unit."))
        return redirect("home")
    return redirect("stations:unit_detail", pk=unit.pk)


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(HostUnit, pk=pk)
    require_visible(rules.view_unit, request.user, unit)
    if not rules.is_member_of_unit(request.user, unit):  # staff see its contact persons
        record_access(request, unit, VIEW, unit.name)
    return _render_unit(request, unit, InviteMemberForm())


def _render_unit(request, unit, invite_form, status=200):
    may_manage = rules.manage_unit(request.user, unit)
    applications = list(unit.applications.select_related("call", "station"))
    applied = {a.call_id: a for a in applications}
    open_calls = (
        [(call, applied.get(call.pk)) for call in Call.objects.open_on(today())]
        if rules.is_member_of_unit(request.user, unit)
        else []
    )
    context = {
        "open_calls": open_calls,
        "reapplicable": [s for s in unit.stations.all() if s.status == Station.Status.NOT_SELECTED],
        "unit": unit,
        "members": unit.members.select_related("user").filter(user__is_active=True),
        "stations": unit.stations.all(),
        "applications": applications,
        "may_manage": may_manage,
        "may_download_licence": rules.download_licence(request.user, unit),
        "invite_form": invite_form if may_manage else None,
        "history": history(unit),
        "is_member": rules.is_member_of_unit(request.user, unit),
    }
    return render(request, "stations/unit_detail.html", context, status=status)


@login_required
@require_POST
def invite(request, pk):
    unit = get_object_or_404(HostUnit, pk=pk)
    require_visible(rules.view_unit, request.user, unit)
    require(rules.manage_unit, request.user, unit)
    form = InviteMemberForm(request.POST)
    if form.is_valid() and (user := form.save(unit, by=request.user)):
        messages.success(
            request,
            _("%(email)s has been invited and will receive a link to set a password.")
            % {"email": user.email},
        )
        return redirect("stations:unit_detail", pk=unit.pk)
    return _render_unit(request, unit, form, status=400)


@login_required
def licence_download(request, pk):
    unit = get_object_or_404(HostUnit, pk=pk)
    require_visible(rules.view_unit, request.user, unit)
    require(rules.download_licence, request.user, unit)
    if not unit.business_licence:
        raise Http404(_("No business licence has been uploaded."))
    return serve_protected(unit.business_licence, f"{unit.credit_code}-营业执照")


@login_required
def station_detail(request, pk):
    station = get_object_or_404(Station.objects.select_related("host_unit"), pk=pk)
    require_visible(rules.view_station, request.user, station)
    context = {
        "station": station,
        "applications": station.applications.select_related("call"),
        "history": history(station),
    }
    return render(request, "stations/station_detail.html", context)


@login_required
def certificate(request, pk):
    station = get_object_or_404(Station.objects.select_related("host_unit"), pk=pk)
    require_visible(rules.view_station, request.user, station)
    if not station.plaque_number:
        raise Http404(_("This station has no plaque yet."))
    from talentstation.documents import pdf_response

    from ..documents import certificate_filename, certificate_pdf

    return pdf_response(certificate_pdf(station), certificate_filename(station), subject=station)


@login_required
@require_POST
def change_member(request, pk, member_pk):
    unit = get_object_or_404(HostUnit, pk=pk)
    require_visible(rules.view_unit, request.user, unit)
    require(rules.manage_unit, request.user, unit)
    member = get_object_or_404(unit.members.select_related("user"), pk=member_pk)
    form = MemberActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with this user."))
        return redirect("stations:unit_detail", pk=unit.pk)
    action = form.cleaned_data["action"]
    attempt(
        request,
        lambda: services.change_member(member, by=request.user, action=action),
        _("The user list of the unit is updated."),
    )
    return redirect("stations:unit_detail", pk=unit.pk)
