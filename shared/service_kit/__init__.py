"""Platform kit shared by every service: settings, auth, errors, logging, HTTP client, health.

Mechanisms only: no service's domain types live here.
"""
