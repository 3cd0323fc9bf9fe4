"""JSON API v1: thin views over the domains' services, described by an OpenAPI document."""
