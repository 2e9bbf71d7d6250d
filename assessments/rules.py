"""Who may do what with station operations and the biennial assessment (see
:mod:`talentstation.rules` for the shared roles and the score-sheet rules).

Operations (activity log, service records): the station's users — the members of its host
unit — see and log only their own stations' entries; bureau staff see every entry and review
it (accept, reject, correct); officials read. An unrelated user gets the same 404 as for an id
that does not exist. The rules load nothing beyond the object asked about (an entry's station
must be loaded with it), so the pages can ask them per row.
"""

from django.utils.translation import gettext_lazy as _

from stations import rules as station_rules
from stations.rules import is_unit_member
from talentstation import rules as core_rules
from talentstation.rules import (
    deny,
    is_expert,
    is_official,
    is_staff,
    rule,
    view_staff_pages,
)


def _station_of(obj):
    """The station of an entry, an entry's file, or the station itself."""
    while not hasattr(obj, "host_unit_id"):
        obj = obj.station if hasattr(obj, "station_id") else obj.entry
    return obj


# -- operations (activity log, service records) -----------------------------------------------


@rule(_("Only the station's own users may do this."), label=_("the station's users"))
def is_station_user(user, obj):
    """A member of the host unit of the station (of an entry, or of an entry's file)."""
    return station_rules.is_unit_member(user, _station_of(obj))


# The station's operations pages (its log, its compliance) and each entry of its log.
view_operations = (is_staff | is_official | is_station_user).refusing(
    _("You may only see the operations of your own unit's stations.")
)
view_entry = view_operations
download_entry_file = view_operations


@rule(_("Only certified stations log activities and services."))
def _station_is_live(user, station):
    if not station.is_live:
        return deny(
            _(
                "Only a certified station (or one under rectification) logs activities and "
                "services; this station is %(status)s."
            )
            % {"status": station.get_status_display()}
        )
    return True


log_entries = (
    is_station_user.refusing(_("Only the station's own users log its activities and services."))
    & _station_is_live
).labelled(_("the station's users"))
import_activities = log_entries


@rule(_("This entry can no longer be edited."))
def _entry_editable(user, entry):
    if not entry.editable_by_station:
        return deny(
            _(
                "This entry has been accepted and can no longer be edited; ask bureau staff to "
                "correct it."
            )
        )
    return True


edit_entry = (
    is_station_user.refusing(_("Only the station's own users edit its entries.")) & _entry_editable
).labelled(_("the station's users"))

# Reviewing entries: accept, reject, correct.
review_entries = is_staff.refusing(_("Only bureau staff accept, reject or correct entries."))

# The district's pages: the acceptance queue (officials read it) and compliance.
view_queue = view_staff_pages
view_compliance = view_staff_pages


# --- Station records: the profile, talent referrals, plans and summaries ---------------------
# ``obj`` is the station, or a record of it (``obj.station``). The station's users see and
# change only their own stations' records; bureau staff see all; officials read.


def _station(obj):
    return getattr(obj, "station", obj)


@rule(_("You may only see your own unit's stations."), label=_("the station's users"))
def is_station_member(user, obj):
    return station_rules.is_unit_member(user, _station(obj))


@rule(_("Only a certified station keeps these records."))
def _station_is_live(user, obj):
    station = _station(obj)
    if not station.is_live:
        return deny(_("Only a certified station keeps these records."))
    return True


view_station_records = (is_staff | is_official | is_station_member).refusing(
    _("You may only see your own unit's stations.")
)
edit_station_records = (
    is_station_member.refusing(_("Only the station's own users may change its records."))
    & _station_is_live
).labelled(_("the station's users"))

# A referral's evidence names a person: bureau staff and the station itself open it.
download_referral_evidence = (is_staff | is_station_member).refusing(
    _("Only bureau staff and the station itself may open the evidence of a referral.")
)
# On the district list of referrals, bureau staff open every referral's evidence.
download_any_referral_evidence = is_staff.refusing(download_referral_evidence.refusal)

# Staff decide on referrals and on plans and summaries (officials read the lists).
decide_station_records = is_staff.refusing(
    _("Only bureau staff confirm referrals and accept plans and summaries.")
)
view_district_records = view_staff_pages

# The transitions name these rules (the lifecycle tables show their labels).
record_referral = edit_station_records
file_report = edit_station_records


# Biennial assessment cycles (考核周期): staff open, refresh and close them; officials read.

manage_cycles = is_staff.refusing(_("Only bureau staff open and close assessment cycles."))
view_cycles = view_staff_pages
correct_scores = is_staff.refusing(_("Only bureau staff correct a final assessment score."))

# Who may be assigned to score a station in a cycle (the assignment's SCORER_RULE).
may_score_assessments = (is_expert | is_staff).refusing(
    _("Only bureau staff and experts can score a station's assessment.")
)


# The general scorer assignment (talentstation.assignments) on a station's assessment.
is_assigned_scorer = core_rules.is_assigned_scorer
is_declared_scorer = core_rules.is_declared_scorer


@rule(_("The cycle is not open for scoring."))
def _cycle_open(user, assessment):
    return assessment.cycle.is_open


# A station's assessment: staff and officials, the station's own users, its scorers.
view_assessment = (is_staff | is_official | is_unit_member | is_assigned_scorer).refusing(
    _("You may only see your own station's assessment.")
)

# Scoring a station: its declared scorers while the cycle is open.
score_assessment = (is_declared_scorer & _cycle_open).labelled(
    _("the declared scorers, while the cycle is open")
)

# Self-assessment (自评): the station's users file it; staff and scorers read it.


@rule(_("The cycle no longer takes self-assessments."))
def _self_assessment_open(user, self_assessment):
    return self_assessment.assessment.cycle.is_open


file_self_assessment = (
    is_unit_member.refusing(_("Only the station's own users file its self-assessment."))
    & _self_assessment_open
).labelled(_("the station's users, while the cycle is open"))


@rule(_("This self-assessment is not of a station assigned to you."), label=_("its scorers"))
def _scorer_of_self_assessment(user, self_assessment):
    return is_assigned_scorer.check(user, self_assessment.assessment)


view_self_assessment = (
    is_staff | is_official | is_unit_member | _scorer_of_self_assessment
).refusing(_("You may only see your own station's self-assessment."))

return_self_assessment = is_staff.refusing(
    _("Only bureau staff return a self-assessment for correction.")
)
