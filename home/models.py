from wagtail.models import Page


class HomePage(Page):
    pass
