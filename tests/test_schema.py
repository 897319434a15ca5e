"""The models tell the truth about the database: a schema built from the models alone and
one built by the migrations have the same indexes, constraints, triggers, functions,
statistics objects and table options on the registry's tables.

How "from the models" is built (tests/schema_from_models.py): in an empty database, the
extensions and SQL functions of snippets/models/sql.py, then Django's schema editor
``create_model`` for every installed model, then the statistics and storage options of
snippets/models/sql.py. That is what Django itself does for an app without migrations
(``migrate --run-syncdb``, the test runner with MIGRATE=False), done directly so that no
migration file of any app is read and nothing else (data migrations, signals) runs: every
index comes from ``Meta.indexes`` or a field's ``db_index``, every constraint from
``Meta.constraints``/fields, every trigger from what pgtrigger registered on the model.

The migrations' schema is pytest-django's test database, which ``migrate`` built from zero.

``makemigrations --check`` (tests/test_migrations.py) only compares the models with the
migrations' *state*; raw SQL in a migration can make the database differ from that state
without it noticing. This test compares the databases themselves.
"""

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from tests.databases import PROJECT_DIR, connect, database_create, database_drop, database_url

# Catalog queries, each returning (kind, name, definition) for the given table names.
CATALOG = {
    "index": """
        SELECT tablename || '.' || indexname, indexdef
        FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(%(tables)s)
    """,
    "constraint": """
        SELECT c.relname || '.' || k.conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = ANY(%(tables)s)
    """,
    "trigger": """
        SELECT c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND n.nspname = 'public' AND c.relname = ANY(%(tables)s)
    """,
    # Every function in the public schema except those an extension brings.
    "function": """
        SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
               pg_get_functiondef(p.oid)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND NOT EXISTS (
            SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    """,
    "statistics": """
        SELECT s.stxname, pg_get_statisticsobjdef(s.oid)
        FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
        WHERE n.nspname = 'public'
    """,
    "table option": """
        SELECT c.relname, array_to_string(c.reloptions, ', ')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = ANY(%(tables)s) AND c.reloptions IS NOT NULL
    """,
    "extension": "SELECT extname, '' FROM pg_extension",
}


def registry_tables() -> list[str]:
    """The tables of the registry's own apps (Wagtail's and Django's tables are theirs)."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        path = Path(model._meta.app_config.path).resolve()
        if path.is_relative_to(PROJECT_DIR) and ".venv" not in path.parts:
            tables.add(model._meta.db_table)
    return sorted(tables)


def schema_lines(cursor, tables: list[str]) -> list[str]:
    """One line per database object: ``kind name: definition``, whitespace collapsed."""
    lines = []
    for kind, query in CATALOG.items():
        cursor.execute(query, {"tables": tables})
        for name, definition in cursor.fetchall():
            definition = re.sub(r"\s+", " ", definition).strip()
            lines.append(f"{kind} {name}: {definition}")
    return sorted(lines)


@pytest.fixture
def models_database():
    """A database built from the models alone (tests/schema_from_models.py); yields its
    name and drops it afterwards."""
    name = f"h7_schema_models_{os.getpid()}"
    database_drop(name)
    database_create(name)
    try:
        built = subprocess.run(
            [sys.executable, "-m", "tests.schema_from_models"],
            cwd=PROJECT_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "registry.settings.test",
                "DATABASE_URL": database_url(name),
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert built.returncode == 0, built.stderr
        yield name
    finally:
        database_drop(name)


@pytest.mark.django_db
def test_the_models_and_the_migrations_build_the_same_schema(models_database):
    tables = registry_tables()
    assert "snippets_client" in tables and "audit_log" in tables
    with connection.cursor() as cursor:
        from_migrations = schema_lines(cursor, tables)
    with connect(models_database) as conn, conn.cursor() as cursor:
        from_models = schema_lines(cursor, tables)

    diff = "\n".join(
        difflib.unified_diff(
            from_migrations, from_models, "built by the migrations", "built from the models", n=0
        )
    )
    assert not diff, (
        "The database the migrations build differs from what the models declare "
        "(- only the migrations make it, + only the models declare it):\n" + diff
    )


@pytest.mark.django_db
def test_a_registry_migrated_before_the_models_declared_every_index_migrates_forward(
    registry_template,
):
    """A production database at snippets 0011 (indexes made by raw SQL, the partial ones under
    their old names) migrates forward to the same schema as a new one."""
    from tests.databases import manage

    name = f"h7_schema_forward_{os.getpid()}"
    database_drop(name)
    database_create(name, template=registry_template)
    try:
        env = {"DATABASE_URL": database_url(name)}
        back = manage("migrate", "snippets", "0011", "--no-input", env=env)
        assert back.returncode == 0, back.stderr
        with connect(name) as conn:
            old_names = {
                row[0]
                for row in conn.execute(
                    "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%\\_id\\_set'"
                )
            }
        assert "clientprogramenrollment_latest_revision_id_set" in old_names

        forward = manage("migrate", "--no-input", env=env)
        assert forward.returncode == 0, forward.stderr
        tables = registry_tables()
        with connection.cursor() as cursor:
            from_zero = schema_lines(cursor, tables)
        with connect(name) as conn, conn.cursor() as cursor:
            migrated_forward = schema_lines(cursor, tables)
    finally:
        database_drop(name)
    diff = "\n".join(
        difflib.unified_diff(
            from_zero, migrated_forward, "migrated from zero", "migrated forward", n=0
        )
    )
    assert not diff, "Migrating forward gives another schema:\n" + diff
