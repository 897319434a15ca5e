"""The registry's sidebar: Wagtail's CMS items taken out, so staff see only the registry."""

from wagtail.admin.menu import SubmenuMenuItem

# Wagtail's page explorer and its media libraries: the registry has no pages to edit.
CMS_MENU_ITEMS = {"explorer", "images", "documents"}


def is_cms_leftover(item) -> bool:
    """True for Wagtail's Pages, Images and Documents items and for its own "Reports"
    submenu (page reports; the registry's "Reports" item is a plain link, kept)."""
    if item.name in CMS_MENU_ITEMS:
        return True
    return item.name == "reports" and isinstance(item, SubmenuMenuItem)


def is_wagtails_help(item) -> bool:
    """Wagtail's Help submenu (its editor guide); the registry's own Help replaces it."""
    return item.name == "help" and isinstance(item, SubmenuMenuItem)


def without_cms_leftovers(menu_items: list) -> None:
    """Remove the CMS leftovers from ``menu_items`` in place (construct_main_menu)."""
    menu_items[:] = [
        item for item in menu_items if not (is_cms_leftover(item) or is_wagtails_help(item))
    ]
