"""Who may do what with station operations and the biennial assessment (see
:mod:`talentstation.rules` for the shared roles and the score-sheet rules)."""

from django.utils.translation import gettext_lazy as _

from stations import rules as station_rules
from talentstation.rules import deny, is_official, is_staff, rule, view_staff_pages

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
