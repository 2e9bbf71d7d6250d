"""Score sheet services: fill, submit, show and aggregate sheets.

Used for the expert review of applications and for the biennial station assessment alike; the
subject of a sheet is any model instance (an application, a station…).

- :func:`sheet_for` — the scorer's sheet for a subject (created as a draft on first use);
- :func:`sheet_for_purpose` — the same, on the active version of a purpose's score sheet;
- :func:`save_entries` — store a scorer's choices; the total follows, never typed;
- :func:`submit_sheet` — check every item is scored and freeze the sheet;
- :func:`visible_sheets` — what a user may see of a subject's sheets;
- :func:`aggregate` — count, mean, median, minimum, maximum, spread and stdev of the totals;
- :func:`submitted_sheets`, :func:`sheets_needed` — how many submitted sheets a decision needs;
- :func:`proposed_tier`, :func:`propose` — the tiers the evidence proposes, by the tiers'
  machine-readable conditions (measures registered with :func:`register_measure`).
"""

import statistics
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from talentstation.rules import Refused, is_staff, refuse_unless
from talentstation.workflow import perform

from . import rules
from .measures import register_measure  # noqa: F401 - apps register here
from .models.scoring import ScoreEntry, ScoreItem, ScoreSheet, ScoreSheetTemplate, to_cents


def item_field_name(item) -> str:
    """The form field (and error key) of an item: ``item_<pk>``."""
    return f"item_{item.pk}"


def comment_field_name(item) -> str:
    return f"comment_{item.pk}"


def sheet_for(template, scorer, subject) -> ScoreSheet:
    """The sheet of ``scorer`` for ``subject`` on ``template``; a new draft on first use.

    New sheets are only started on the active version; a sheet already started keeps the
    version it was started on.
    """
    lookup = {
        "template": template,
        "scorer": scorer,
        "content_type": ContentType.objects.get_for_model(subject),
        "object_id": subject.pk,
    }
    sheet = ScoreSheet.objects.filter(**lookup).first()
    if sheet is not None:
        return sheet
    if template.status != ScoreSheetTemplate.Status.ACTIVE:
        raise ValidationError(
            _("New score sheets are started only on the active version of a score sheet."),
            code="template_not_active",
        )
    try:
        with transaction.atomic():
            return ScoreSheet.objects.create(**lookup)
    except IntegrityError:
        # Started at the same moment in another request.
        return ScoreSheet.objects.get(**lookup)


def sheet_for_purpose(purpose, scorer, subject) -> ScoreSheet:
    """The scorer's sheet for ``subject`` of this purpose: the one he started (on whichever
    version it was started), else a new draft on the active version. Raises :class:`Refused`
    when no version is active, so pages can say so instead of failing."""
    started = (
        ScoreSheet.objects.for_subject(subject)
        .filter(scorer=scorer, template__purpose=purpose)
        .select_related("template")
        .order_by("-template__version")
        .first()
    )
    if started is not None:
        return started
    template = ScoreSheetTemplate.active_for(purpose)
    if template is None:
        raise Refused(
            _(
                "No version of the score sheet “%(purpose)s” is active, so no new sheet can be "
                "started. Please tell bureau staff."
            )
            % {"purpose": ScoreSheetTemplate.Purpose(purpose).label}
        )
    return sheet_for(template, scorer, subject)


def _resolve_item(items, key):
    if isinstance(key, ScoreItem):
        key = key.pk
    elif isinstance(key, str):
        key = key.removeprefix("item_")
    try:
        return items.get(int(key))
    except (TypeError, ValueError):
        return None


def _resolve_tier(item, value):
    """The tier of ``item`` given as a ScoreTier or its pk; None when empty; raises when it is
    not one of this item's tiers."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    for tier in item.tiers.all():
        if str(tier.pk) == str(pk):
            return tier
    raise ValidationError(_("Choose one of this item's tiers."), code="invalid_tier")


def _to_points(value):
    if value in (None, ""):
        return None
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationError(_("Enter a number."), code="invalid") from exc
    if not points.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    return points


def save_entries(sheet, data, *, by=None) -> ScoreSheet:
    """Store the scores of a draft sheet and recompute its total.

    ``data`` maps items (ScoreItem, pk, or ``"item_<pk>"``) to dicts with ``tier`` (a ScoreTier
    or its pk, for tiered items), ``points`` (for range items) and ``comment``; a missing key
    leaves that part as it was. Items not given are left as they were. Nothing else is read:
    a total in the input is no item and is refused. All or nothing: on any error nothing is
    saved and a ValidationError keyed by ``item_<pk>`` says what is wrong.
    """
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().select_related("template").get(pk=sheet.pk)
        if by is not None:
            refuse_unless(rules.fill_sheet, by, locked)
        locked.assert_editable()
        items = {item.pk: item for item in locked.template.items.prefetch_related("tiers")}
        existing = {e.item_id: e for e in locked.entries.select_related("tier")}
        errors: dict[str, list] = {}
        to_save = []
        for key, values in data.items():
            item = _resolve_item(items, key)
            if item is None:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _("“%(key)s” is not an item of this score sheet.") % {"key": key}
                )
                continue
            values = values or {}
            entry = existing.get(item.pk) or ScoreEntry(sheet=locked, item=item)
            entry.sheet, entry.item = locked, item
            try:
                if "tier" in values:
                    entry.tier = _resolve_tier(item, values["tier"])
                if "points" in values:
                    entry.points = _to_points(values["points"])
                if "comment" in values:
                    entry.comment = (values["comment"] or "").strip()
                entry.clean()
            except ValidationError as error:
                errors.setdefault(item_field_name(item), []).extend(error.messages)
                continue
            if entry.pk is None and not entry.answered and not entry.comment:
                continue  # nothing to keep
            to_save.append(entry)
        if errors:
            raise ValidationError(errors)
        for entry in to_save:
            entry.save(recompute=False)
        sheet.total = locked.recompute_total()
    return sheet


def submit_sheet(sheet, by):
    """Submit ``sheet`` for its scorer: every item must be scored; the total is recomputed and
    the sheet cannot change afterwards. Raises Refused saying why not."""
    return perform(sheet, "submit", by=by)


def visible_sheets(subject, user, *, template=None, share_after_submit=True):
    """The sheets of ``subject`` that ``user`` may see.

    Bureau staff see every sheet. A scorer sees his own sheet; once he has submitted it, and
    if ``share_after_submit``, also the submitted sheets of the others on the same template.
    Everybody else sees none.
    """
    sheets = (
        ScoreSheet.objects.for_subject(subject)
        .select_related("template", "scorer")
        .order_by("template__purpose", "-template__version", "submitted_at", "pk")
    )
    if template is not None:
        sheets = sheets.filter(template=template)
    if not (user.is_authenticated and user.is_active):
        return sheets.none()
    if is_staff(user):
        return sheets
    own = models.Q(scorer=user)
    if not share_after_submit:
        return sheets.filter(own)
    done = sheets.filter(scorer=user, status=ScoreSheet.Status.SUBMITTED).values("template")
    return sheets.filter(own | models.Q(status=ScoreSheet.Status.SUBMITTED, template__in=done))


@dataclass(frozen=True)
class Aggregate:
    """The totals of a subject's sheets: ``count`` sheets, ``submitted`` of them counted.

    The statistics are over submitted sheets only, rounded to two places; None when there is
    nothing to compute (stdev, the sample standard deviation, needs two sheets).
    """

    count: int
    submitted: int
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    spread: Decimal | None
    stdev: Decimal | None


def aggregate(subject, template=None) -> Aggregate:
    sheets = ScoreSheet.objects.for_subject(subject)
    if template is not None:
        sheets = sheets.filter(template=template)
    rows = list(sheets.values_list("status", "total"))
    totals = [total for status, total in rows if status == ScoreSheet.Status.SUBMITTED]
    if not totals:
        return Aggregate(len(rows), 0, None, None, None, None, None, None)
    low, high = min(totals), max(totals)
    return Aggregate(
        count=len(rows),
        submitted=len(totals),
        mean=to_cents(statistics.mean(totals)),
        median=to_cents(statistics.median(totals)),
        minimum=to_cents(low),
        maximum=to_cents(high),
        spread=to_cents(high - low),
        stdev=to_cents(statistics.stdev(totals)) if len(totals) > 1 else None,
    )


def submitted_sheets(subject, template=None):
    """The submitted sheets of ``subject`` (for counting and for staff pages)."""
    sheets = (
        ScoreSheet.objects.for_subject(subject).submitted().select_related("template", "scorer")
    )
    if template is not None:
        sheets = sheets.filter(template=template)
    return sheets


def sheets_needed(assigned_count, quorum=None) -> int:
    """How many submitted sheets a decision needs: all ``assigned_count``, or ``quorum`` of them
    when the policy settings give a smaller one (``PolicyVersion.review_quorum``; 0 or None
    means all assigned)."""
    return min(quorum, assigned_count) if quorum else assigned_count


def proposed_tier(item, evidence):
    """The tier of ``item`` that ``evidence`` (measure key → number) proposes: the first tier, in
    order, whose conditions all hold (a tier without conditions always holds); None when no
    tier of the item has conditions (it is scored by judgement alone) or none holds. Uses the
    prefetched ``tiers__conditions`` when there are any."""
    tiers = list(item.tiers.all())
    if not any(tier.conditions.all() for tier in tiers):
        return None
    for tier in tiers:
        if all(condition.holds(evidence) for condition in tier.conditions.all()):
            return tier
    return None


def propose(template, evidence) -> dict:
    """``{item pk: proposed tier}`` for every item of ``template`` whose tiers have conditions."""
    items = template.items.prefetch_related("tiers__conditions")
    proposals = {item.pk: proposed_tier(item, evidence) for item in items}
    return {pk: tier for pk, tier in proposals.items() if tier is not None}
