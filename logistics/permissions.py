"""Who may read passport data: one permission, checked where the data is fetched.

The visa letter prints the passport number, so the same rule covers the travel document (the admin inline), the
desk's visa-letter download and the admin action that issues letters.
"""

from __future__ import annotations

#: The one permission for passport data. Its content type moved with ``TravelDocument`` from ``registration``
#: to ``logistics`` (migration ``logistics.0001``), so the groups and users who held it keep it.
PASSPORT_PERMISSION = "logistics.view_traveldocument"


def may_see_passport_data(user) -> bool:
    """Whether ``user`` (active staff) may read passport data: the travel document and the visa letter."""
    return bool(user.is_active and user.is_staff and user.has_perm(PASSPORT_PERMISSION))


#: The logistics role: the "Logistics" group (migration ``logistics.0005``) holds it, with every logistics
#: permission but the passport data's.
LOGISTICS_PERMISSION = "logistics.change_transferseat"


def may_manage_logistics(user) -> bool:
    """Whether ``user`` (active staff) sees and edits logistics: the manifest, vehicles, runs, the airport page."""
    return bool(user.is_active and user.is_staff and user.has_perm(LOGISTICS_PERMISSION))
