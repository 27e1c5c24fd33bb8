"""The test suite's PostgreSQL backend: Django's own, emptying the tables with DELETE (see ``base``)."""
