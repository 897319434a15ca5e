from wagtail import hooks

from .admin_menu import without_cms_leftovers


@hooks.register("construct_main_menu")
def hide_cms_menu_items(request, menu_items):
    without_cms_leftovers(menu_items)
