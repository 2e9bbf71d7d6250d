"""Create forms that create once: a double-clicked button or the same form sent from two tabs
makes one record, and the second submission is led to the first one's result.

A create form carries a one-time token (``{% load submissions %}{% submission_token %}``
beside ``{% csrf_token %}``), and its view is decorated with :func:`submit_once`. The first POST
with a token claims it, in the same transaction as whatever the view creates: a row
``(sender, token)`` under a unique constraint, where the sender is the user (or the session of
an anonymous visitor). When the view answers with a redirect (it went through), the row keeps
the redirect's address; any other answer (the form shown again with its errors, a refusal)
rolls the claim back with the rest, so the corrected form can be sent with the same token.

A second POST with the same token, sent after the first one finished, finds the row; one sent
while the first is still running waits for it on the unique index (PostgreSQL's row lock,
SQLite's write lock) and then finds it too. Either way nothing is created again: the sender is
redirected to the first one's result with 「已提交，请勿重复提交」. Forms without a token (an
old page, a script) are handled as before. Tokens older than a day are deleted as new ones are
written. The portal's JavaScript also disables a form's buttons after the first submission
(``static/js/portal.js``); this is what holds when it does not run.
"""

import datetime
import uuid
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIELD = "submission_token"
#: How long a used token is remembered.
MAX_AGE = datetime.timedelta(days=1)
ALREADY_SUBMITTED = _("This form was already submitted; please do not submit it twice.")


def posted_token(request):
    """The form's token as a UUID, or None when none (or no valid one) was posted."""
    if request.method != "POST":
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def new_token(request):
    """The token for a form on this page: the posted one when the form is shown again."""
    return posted_token(request) or uuid.uuid4()


def sender(request):
    """Who sends: the user, else the anonymous visitor's session, else any anonymous visitor
    (the token itself is random)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    session_key = getattr(request, "session", None) and request.session.session_key
    return f"session:{session_key}" if session_key else "anonymous"


class _Taken(Exception):
    pass


def _to_first_result(request, used):
    messages.info(request, ALREADY_SUBMITTED)
    return redirect(used.result_url or request.path)


def submit_once(view):
    """Decorate a view with a create form (its template renders ``{% submission_token %}``)."""

    @wraps(view)
    def once(request, *args, **kwargs):
        from .models import SubmissionToken

        token = posted_token(request)
        if token is None:
            return view(request, *args, **kwargs)
        owner = sender(request)
        used = SubmissionToken.objects.filter(owner=owner, token=token).first()
        if used is not None:
            return _to_first_result(request, used)
        try:
            with transaction.atomic():
                try:
                    claim = SubmissionToken.objects.create(
                        owner=owner, token=token, path=request.path[:500]
                    )
                except IntegrityError:
                    raise _Taken from None  # another request with this token went first
                response = view(request, *args, **kwargs)
                if response.status_code in (301, 302, 303) and response.has_header("Location"):
                    claim.result_url = response["Location"][:500]
                    claim.save(update_fields=["result_url"])
                else:
                    transaction.set_rollback(True)  # not done: the token may be sent again
        except _Taken:
            return _to_first_result(request, SubmissionToken.objects.get(owner=owner, token=token))
        SubmissionToken.objects.filter(created_at__lt=timezone.now() - MAX_AGE).delete()
        return response

    return once
