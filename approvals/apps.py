from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "approvals"
    verbose_name = "Approvals"

    def ready(self):
        from registry.mail import warn_if_mail_not_configured

        from . import workflow  # noqa: F401  (connects the workflow signal receivers)

        # Approval notifications are the registry's mail: say once if they go nowhere.
        warn_if_mail_not_configured()
