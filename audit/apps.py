from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        # Attach the audit trigger to every registry table. Done here, not in each model's
        # Meta, so the registry's models stay about the registry; pgtrigger puts the
        # triggers in the snippets app's migrations all the same.
        from .triggers import register_audit_triggers

        register_audit_triggers()
