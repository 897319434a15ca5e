from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from audit.wagtail_reports import gated_report_urlpatterns
from reports.views import set_language

urlpatterns = [
    # Ahead of Wagtail's: its reports, for audit-log readers only.
    path("admin/reports/", include(gated_report_urlpatterns())),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The report pages' English / Français switch (remembered: reports/views.py).
    path("language/", set_language, name="set_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail serves the site's pages (home, and the reports when they arrive) last.
    path("", include(wagtail_urls)),
]
