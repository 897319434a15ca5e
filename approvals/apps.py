from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "approvals"
    verbose_name = _("Approvals")

    def ready(self):
        from registry.mail import warn_if_mail_not_configured

        from . import workflow  # noqa: F401  (connects the workflow signal receivers)
        from .notifications import notifiers_connect

        notifiers_connect()  # approval e-mails in each recipient's language

        # Approval notifications are the registry's mail: say once if they go nowhere.
        warn_if_mail_not_configured()
