"""Celery tasks of registration: thin, take ids, call one service. Submodules register on import."""

from importlib import import_module

for _name in ("invitations", "participants"):
    try:
        import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # a submodule not written yet
        if exc.name != f"{__name__}.{_name}":
            raise
