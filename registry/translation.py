"""Wagtail words that would otherwise stay in the language of the moment they were made.

Wagtail builds a few labels once, at start-up, with ``gettext`` rather than lazily: the
snippet chooser's "Choose client" / "Choose another client" / "Edit this client"
(``AdminSnippetChooser.__init__``) and the "Updated" column (``UpdatedAtColumn``); and its
boolean cells title their icon "True" / "False" in English. Made at
start-up they are English (``LANGUAGE_CODE``) for everyone, whatever the person's language.
These versions put the words together when the page is drawn, in the reader's language.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.ui.tables import BooleanColumn, UpdatedAtColumn
from wagtail.snippets.widgets import AdminSnippetChooser


def _about(template: str, model):
    def text():
        return gettext(template) % {"object": model._meta.verbose_name}

    return lazy(text, str)()


class TranslatedSnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser with its button texts in the reader's language."""

    def __init__(self, model=None, **kwargs):
        super().__init__(model=model, **kwargs)
        self.choose_one_text = _about(gettext_lazy("Choose %(object)s"), self.model)
        self.choose_another_text = _about(gettext_lazy("Choose another %(object)s"), self.model)
        self.link_to_chosen_text = _about(gettext_lazy("Edit this %(object)s"), self.model)


def updated_at_column(**kwargs) -> UpdatedAtColumn:
    """Wagtail's "Updated" column, labelled in the reader's language."""
    return UpdatedAtColumn(label=gettext_lazy("Updated"), **kwargs)


class YesNoColumn(BooleanColumn):
    """Wagtail's tick/cross column, its icon titled Yes / No in the reader's language."""

    cell_template_name = "registry/boolean_cell.html"
