"""One place that reads the process environment for settings.

Security-relevant values have no default outside dev and test: a missing one stops
the process at start-up (ImproperlyConfigured) instead of running with a guess.
"""

import os

from django.core.exceptions import ImproperlyConfigured

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/registry"


def env_str(name: str, default: str | None = None) -> str:
    """The variable's value, or ``default``; with no default a missing value is an error."""
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(
                f"The environment variable {name} must be set (see .env.example)."
            )
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; with no default a missing value is an error."""
    raw = env_str(name, None if default is None else ",".join(default))
    return [item.strip() for item in raw.split(",") if item.strip()]
