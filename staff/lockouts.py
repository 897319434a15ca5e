"""Settings › Sign-in lockouts: an Administrator lifts a lockout (the lockout page tells
staff to ask one)."""

from axes.utils import reset
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .roles import RoleName
from .selectors import locked_sign_ins


def can_lift_lockouts(user) -> bool:
    return user.is_authenticated and user.groups.filter(name=RoleName.ADMINISTRATOR).exists()


class SignInLockoutsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "staff/lockouts.html"
    page_title = gettext_lazy("Sign-in lockouts")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not can_lift_lockouts(request.user):
            # A plain 403 page: Wagtail would turn PermissionDenied into a redirect home.
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": _("Sign-in lockouts")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lockouts"] = list(locked_sign_ins()[:500])
        return context

    def post(self, request):
        email = request.POST.get("email", "").strip().lower()
        if not email:
            messages.error(request, _("Choose the e-mail address to unlock."))
            return redirect("staff_lockouts:index")
        # axes' own helper: forgets every counted attempt for that e-mail, from any address.
        reset(username=email)
        messages.success(request, _("%(email)s can sign in again.") % {"email": email})
        return redirect("staff_lockouts:index")


urlpatterns = [path("", SignInLockoutsView.as_view(), name="index")]
