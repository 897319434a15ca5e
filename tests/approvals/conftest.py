import pgtrigger
import pytest

# Tables the database refuses to TRUNCATE (restrictions are kept 10 years; the audit log is
# append-only). A test that commits (transaction=True) is cleaned up with TRUNCATE, so its
# teardown alone is let through, using pgtrigger's per-thread escape hatch.
TRUNCATE_GUARDS = (
    "snippets.ServiceRestriction:restrictions_are_kept_truncate",
    "audit.AuditLog:audit_log_no_truncate",
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        with pgtrigger.ignore(*TRUNCATE_GUARDS):
            yield
    else:
        yield
