"""`make dev`: the whole platform on one machine, with embedded stores and demo data."""
