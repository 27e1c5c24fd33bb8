"""The integration token's security scheme in the OpenAPI description, apart from the device token's."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.integration.authentication.IntegrationTokenAuthentication"
    name = "integrationToken"
    priority = 1  # before the device token's scheme, which matches every BearerTokenAuthentication

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An integration token (int_…), made by an organizer in the admin"}
