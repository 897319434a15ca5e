"""Build the registry's schema from the models alone, into the (empty) database named by
DATABASE_URL: ``python -m tests.schema_from_models``.

What runs, in order: snippets.models.sql.BEFORE_TABLES (extensions, SQL functions), then
Django's schema editor ``create_model`` for every installed model (tables, columns, every
``Meta.indexes``/``constraints`` entry, fields' ``db_index``, and the triggers pgtrigger
registered on the model: its schema editor installs ``Meta.triggers`` on create), then
snippets.models.sql.AFTER_TABLES (statistics, storage options) and reports.served.AFTER_TABLES
(the Org Summary's triggers). No migration file is read.
"""

import django


def build() -> None:
    from django.apps import apps
    from django.db import connection

    from identity.linkage.functions import COMPARISON_FUNCTIONS
    from reports.served import AFTER_TABLES as REPORTS_AFTER_TABLES
    from snippets.models.sql import AFTER_TABLES, BEFORE_TABLES

    with connection.cursor() as cursor:
        for statement in BEFORE_TABLES:
            cursor.execute(statement)
        # The linkage's comparison functions (they use registry_name_key, created above).
        cursor.execute(COMPARISON_FUNCTIONS)
    # One schema editor for every model: foreign keys and indexes are deferred to its end,
    # so the order of the models does not matter.
    with connection.schema_editor() as editor:
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                editor.create_model(model)
    with connection.cursor() as cursor:
        for statement in AFTER_TABLES:
            cursor.execute(statement)
        # The Org Summary's triggers on the registry's tables (they name its table).
        for statement in REPORTS_AFTER_TABLES:
            cursor.execute(statement)


if __name__ == "__main__":
    django.setup()
    build()
