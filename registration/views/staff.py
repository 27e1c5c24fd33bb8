"""The guard of the staff pages (the on-site desk and the staff downloads): one decorator, used by every app."""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from conference.selectors import current_conference


def staff_required(view=None, *, api: bool | str = False):
    """Staff only: anonymous users go to the login page (JSON endpoints answer 403), others get 404.

    ``api=True``: a JSON endpoint; ``api="post"``: a page whose POST is a JSON endpoint.
    """

    def decorator(func):
        @functools.wraps(func)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                if api is True or (api == "post" and request.method == "POST"):
                    return JsonResponse({"error": _("Log in again.")}, status=403)
                return redirect_to_login(request.get_full_path())
            if not user.is_staff:
                raise Http404
            conference = current_conference()
            if conference is None:
                raise Http404
            return func(request, conference, *args, **kwargs)

        return wrapped

    return decorator(view) if view is not None else decorator
