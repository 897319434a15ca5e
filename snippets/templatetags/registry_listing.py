from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """The rows of a RowsInOnePassTable (snippets/listing.py), cells rendered with the
    table template's context as Wagtail's ``{% component cell %}`` renders them."""
    return table.render_rows(context)


@register.simple_tag(takes_context=True)
def filters_drilldown(context, filters):
    """Wagtail's filters drilldown (wagtailadmin/shared/headers/_filters.html, which this
    project's template of that name hands to), from a cache where it renders alike for
    everyone (snippets/listing.py ``render_filters``)."""
    from snippets.listing import render_filters

    return render_filters(context, filters)
