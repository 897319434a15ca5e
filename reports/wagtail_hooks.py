from wagtail import hooks

from .menu import ReportsMenuItem


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem()
