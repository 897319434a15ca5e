"""The registry's help screens in the admin."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .help import help_topic, help_topics


class HelpView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboard/help.html"
    page_title = _("Help")
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": _("Help")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = self.kwargs.get("topic")
        topics = help_topics()
        if slug is None:
            topic = topics[0] if topics else None
        else:
            topic = help_topic(slug)
            if topic is None:
                raise Http404(_("No such help page."))
        context.update(topics=topics, topic=topic)
        return context
