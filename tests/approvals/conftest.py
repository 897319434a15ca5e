import pgtrigger
import pytest


def _truncate_guards() -> list[str]:
    """Tables the database refuses to TRUNCATE (restrictions and the logs are kept)."""
    return [
        f"{model._meta.label}:{trigger.name}"
        for model, trigger in pgtrigger.registered()
        if "TRUNCATE" in str(trigger.operation)
    ]


# A test that commits (transaction=True) is cleaned up with TRUNCATE, so its teardown alone
# is let through the guards, using pgtrigger's per-thread escape hatch.


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        with pgtrigger.ignore(*_truncate_guards()):
            yield
    else:
        yield
