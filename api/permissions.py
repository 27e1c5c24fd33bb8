"""Who may call what. ``DenyAll`` is the default of every API view (``REST_FRAMEWORK``): a view that forgets to
name its permission answers 401/403, never data."""

from rest_framework.permissions import BasePermission


class DenyAll(BasePermission):
    def has_permission(self, request, view) -> bool:
        return False


class IsDevice(BasePermission):
    """The call carries a valid device token (``api.authentication.DeviceTokenAuthentication``)."""

    def has_permission(self, request, view) -> bool:
        from .models import DeviceToken

        return isinstance(request.auth, DeviceToken)
