"""Time zones as people read them: a translated name for the conference's zone ("Cairo time", "توقيت القاهرة")."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import pgettext_lazy

#: The zones conferences are held in, by their IANA name, with the name a page shows in its language. A zone not
#: listed shows its IANA name.
ZONE_LABELS = {
    "Africa/Cairo": pgettext_lazy("time zone", "Cairo time"),
    "UTC": pgettext_lazy("time zone", "UTC"),
}


def zone_label(name: str) -> str:
    """The translated name of the IANA time zone ``name`` (its IANA name when none is known)."""
    label = ZONE_LABELS.get(name)
    return str(label) if label is not None else name


#: ``zone_label`` translated when shown (an e-mail's context is built before its language is active).
zone_label_lazy = lazy(zone_label, str)
