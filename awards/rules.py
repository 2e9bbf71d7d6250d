"""Who may see and do what with the outcomes of an assessment (see :mod:`talentstation.rules`
for the shared roles). Bureau staff decide everything; officials read and export every list
and document but change nothing; a unit's users see only their own stations' results, awards,
usage reports and rectification orders; an unrelated user gets the same 404 as for an id that
does not exist. The rules load nothing beyond the object asked about (``obj.host_unit_id``:
the awards' objects give their station's), so pages can ask them per row.
"""

from django.utils.translation import gettext_lazy as _

from stations.rules import is_unit_member
from talentstation.rules import is_official, is_staff, view_staff_pages  # noqa: F401

# The outcomes hub (ranking, awards, usage reports, rectification, nominations): staff and
# officials.
view_outcomes = view_staff_pages

# A unit's own outcomes page.
view_own_outcomes = is_unit_member.refusing(_("You may only see your own unit's outcomes."))


# --- Ranking and excellent stations -----------------------------------------------------------


# --- Awards and usage reports -----------------------------------------------------------------


# --- Rectification and revocation -------------------------------------------------------------


# --- Nomination batches and Annex 3 -----------------------------------------------------------

# The nomination batches, their pages and their Annex 3 exports: staff and officials read and
# download; only bureau staff build a batch, submit it and record its outcomes.
view_nominations = view_staff_pages
manage_nominations = is_staff.refusing(_("Only bureau staff prepare and submit nominations."))
# The Annex 3-style lists of the year's applicants and of the certified stations.
download_annex3 = view_staff_pages
