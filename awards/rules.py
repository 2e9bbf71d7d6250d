"""Who may see and do what with the outcomes of an assessment (see :mod:`talentstation.rules`
for the shared roles). Bureau staff decide everything; officials read and export every list
and document but change nothing; a unit's users see only their own stations' results, awards,
usage reports and rectification orders; an unrelated user gets the same 404 as for an id that
does not exist. The rules load nothing beyond the object asked about (``obj.host_unit_id``:
the awards' objects give their station's), so pages can ask them per row.
"""

from django.utils.translation import gettext_lazy as _

from stations.rules import is_unit_member
from talentstation.rules import deny, is_official, is_staff, rule, view_staff_pages

# The outcomes hub (ranking, awards, usage reports, rectification, nominations): staff and
# officials.
view_outcomes = view_staff_pages

# A unit's own outcomes page is for the users of a unit (awards.views.hub.mine); each section
# shows only that unit's stations.


# --- Ranking and excellent stations -----------------------------------------------------------

# Proposing, approving and publishing the results: bureau staff only.
manage_ranking = is_staff.refusing(_("Only bureau staff decide the assessment results."))

# The ranking pages and the results notice: staff and officials.
view_rankings = view_staff_pages


@rule(_("The results are not published yet."))
def _ranking_published(user, entry):
    return entry.ranking.is_published


@rule(_("Only an excellent station has a certificate."))
def _entry_excellent(user, entry):
    return entry.is_excellent


# A station's result and certificate: staff and officials; the unit's users once published.
view_entry_result = (is_staff | is_official | (is_unit_member & _ranking_published)).refusing(
    _("You may only see your own station's result.")
)
download_certificate = (view_entry_result & _entry_excellent).refusing(
    _("You may only download your own station's certificate.")
)


# --- Awards and usage reports -----------------------------------------------------------------
# ``obj`` is an award, a usage report or one of its lines (each gives ``host_unit_id``).

# The lists of awards and usage reports: staff and officials.
view_award_lists = view_staff_pages

# One award or usage report: staff, officials (they read the amounts), the station's unit.
view_award = (is_staff | is_official | is_unit_member).refusing(
    _("You may only see your own unit's awards and reports.")
)
view_usage_report = view_award

# Recording the one payment of an award.
pay_awards = is_staff.refusing(_("Only bureau staff record the payment of an award."))

# Vouchers and receipts are financial files: bureau staff and the station's unit only.
download_financial_files = (is_staff | is_unit_member).refusing(
    _("Only bureau staff and the station's unit open payment vouchers and receipts.")
)

# The unit files the report on the use of the money (submit is the transition).
file_usage_report = is_unit_member.refusing(
    _("Only the station's own users file the report on the use of its award.")
)


@rule(_("The report can no longer be changed."))
def _report_editable(user, report):
    if not report.editable_by_station:
        return deny(
            _("The report has been submitted and can no longer be changed unless it is returned.")
        )
    return True


edit_usage_report = (file_usage_report & _report_editable).labelled(_("the station's users"))

# Accepting or returning a submitted report.
decide_usage_reports = is_staff.refusing(
    _("Only bureau staff accept or return reports on the use of awards.")
)


# --- Rectification and revocation -------------------------------------------------------------


@rule(_("You may only see your own unit's rectification orders."))
def _order_issued(user, order):
    """A unit sees its order once it is issued (a draft is the bureau's work in progress)."""
    return order.status != "draft"


# An order (and its notice, report and evidence): staff, officials (read) and its unit.
view_rectification = (is_staff | is_official | (is_unit_member & _order_issued)).refusing(
    _("You may only see your own unit's rectification orders.")
)
# Drafting, issuing, re-inspecting, revoking: bureau staff decide.
manage_rectification = is_staff.refusing(
    _("Only bureau staff decide on rectification orders.")
).labelled(_("bureau staff"))
# The unit files its rectification report.
file_rectification_report = is_unit_member.refusing(
    _("Only the station's own unit files its rectification report.")
).labelled(_("the unit's users"))


# --- Nomination batches and Annex 3 -----------------------------------------------------------

# The nomination batches, their pages and their Annex 3 exports: staff and officials read and
# download; only bureau staff build a batch, submit it and record its outcomes.
view_nominations = view_staff_pages
manage_nominations = is_staff.refusing(_("Only bureau staff prepare and submit nominations."))
# The Annex 3-style lists of the year's applicants and of the certified stations.
download_annex3 = view_staff_pages
