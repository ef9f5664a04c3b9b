"""User-service domain logic, one module per workflow: plain functions over a session, no HTTP."""
