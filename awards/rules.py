"""Who may see and do what with the outcomes of an assessment (see :mod:`talentstation.rules`
for the shared roles). Bureau staff decide everything; officials read and export every list
and document but change nothing; a unit's users see only their own stations' results, awards,
usage reports and rectification orders; an unrelated user gets the same 404 as for an id that
does not exist. The rules load nothing beyond the object asked about (``obj.host_unit_id``:
the awards' objects give their station's), so pages can ask them per row.
"""

from django.utils.translation import gettext_lazy as _

from stations.rules import is_unit_member
from talentstation.rules import is_official, is_staff, rule, view_staff_pages  # noqa: F401

# The outcomes hub (ranking, awards, usage reports, rectification, nominations): staff and
# officials.
view_outcomes = view_staff_pages

# A unit's own outcomes page.
view_own_outcomes = is_unit_member.refusing(_("You may only see your own unit's outcomes."))


# --- Ranking and excellent stations -----------------------------------------------------------


# --- Awards and usage reports -----------------------------------------------------------------


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
