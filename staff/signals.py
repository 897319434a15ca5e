"""Signals the staff app sends, for apps built on its roles."""

from django.dispatch import Signal

# Sent by staff.services.roles_ensure() once the roles and their permissions are in place
# (sender: the staff app's roles_ensure function; ``groups``: the groups by role name).
# The approvals app creates its Coordinator workflow on it, so staff, the lower layer,
# does not import approvals.
roles_ensured = Signal()
