"""The report pages' language switch."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from staff.services import staff_set_language


@require_POST
def set_language(request):
    """Switch the reader's language and come back to the page they were on.

    A signed-in reader's choice is stored as their Wagtail preference, so the admin (and
    the next sign-in, on any computer) follows it; Django's set_language validates the
    language and the return address and sets the language cookie for everyone.
    """
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        staff_set_language(staff=request.user, language=language)
    return response
