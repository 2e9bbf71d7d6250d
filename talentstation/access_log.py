"""The access log: who viewed, downloaded or exported personal data or a licence file.

One function writes it, :func:`record_access`. Views that render a page with personal data
(a unit's contact persons, an application) call it; the responses that send a file are marked
with :func:`mark` where they are built — :func:`talentstation.uploads.serve_protected`,
:func:`talentstation.documents.pdf_response`, :func:`talentstation.spreadsheets.xlsx_response`
and the admin's Excel export — and :class:`AccessLogMiddleware` records a marked response that
succeeded, so each such request costs one INSERT. Anonymous requests record nothing (they see
only public pages and documents). The records are audit records (view-only admin, kept with
the audit: AUDIT_RETENTION_DAYS, talentstation.audit).
"""

from django.contrib.contenttypes.models import ContentType

from .clients import client_ip
from .models import AccessLog

VIEW = AccessLog.Kind.VIEW
DOWNLOAD = AccessLog.Kind.DOWNLOAD
EXPORT = AccessLog.Kind.EXPORT
MARK = "talentstation_access_log"


def _user_label(user):
    name = getattr(user, "full_name", "") or ""
    username = user.get_username()
    return (f"{name} ({username})" if name and name != username else username)[:200]


def record_access(request, obj, kind, label=""):
    """Record that ``request.user`` had ``kind`` of access (view, download, export) to ``obj``
    (a model instance, or None for a list), described by ``label``. Returns the record, or None
    for an anonymous request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    content_type = object_id = None
    if obj is not None and getattr(obj, "pk", None) is not None:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        object_id = obj.pk
    label = str(label or (obj if obj is not None else ""))
    return AccessLog.objects.create(
        user=user,
        user_label=_user_label(user),
        kind=kind,
        content_type=content_type,
        object_id=object_id,
        label=label[:300],
        client_ip=client_ip(request),
        url=request.get_full_path()[:500],
    )


def mark(response, obj, kind, label=""):
    """Mark ``response`` to be recorded by the middleware once it is sent; returns it."""
    setattr(response, MARK, (obj, kind, label))
    return response


class AccessLogMiddleware:
    """Records the marked responses that succeeded (see :func:`mark`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        marked = getattr(response, MARK, None)
        if marked is not None and response.status_code < 400:
            record_access(request, *marked)
        return response


class AccessLoggedAdminMixin:
    """Admin change pages of personal-data models: opening one records a view."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            original = getattr(response, "context_data", {}).get("original")
            if original is not None:
                record_access(request, original, VIEW, str(original))
        return response
