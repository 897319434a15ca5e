# Audit triggers that name each audited column (audit/triggers.py) and give audit rows
# time-ordered ids from registry_uuid7(), created here. The daily import (ingest/sql.py)
# gives its new rows such ids too.

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('snippets', '0005_fewer_redundant_indexes'),
    ]

    operations = [
        # A UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then random
        # bits. Rows written together get neighbouring ids, so a bulk insert touches the
        # end of each primary-key index rather than a random page per row. PostgreSQL 18
        # has uuidv7(); this is the same layout for PostgreSQL 15.
        migrations.RunSQL(
            """
            CREATE OR REPLACE FUNCTION registry_uuid7() RETURNS uuid
            LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
              SELECT encode(
                set_bit(set_bit(
                  overlay(uuid_send(gen_random_uuid())
                          PLACING substring(int8send(
                            floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)
                            FROM 3)
                          FROM 1 FOR 6),
                  52, 1), 53, 1),
                'hex')::uuid
            $$;
            """,
            "DROP FUNCTION IF EXISTS registry_uuid7()",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='client',
            name='audit_inserts',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='client',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='client',
            name='audit_deletes',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='clientprogramenrollment',
            name='audit_inserts',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='clientprogramenrollment',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='clientprogramenrollment',
            name='audit_deletes',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='clientsourceid',
            name='audit_inserts',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='clientsourceid',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='clientsourceid',
            name='audit_deletes',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='demographicquestion',
            name='audit_inserts',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='demographicquestion',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='demographicquestion',
            name='audit_deletes',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='department',
            name='audit_inserts',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='department',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='department',
            name='audit_deletes',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='discharge',
            name='audit_inserts',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='discharge',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='discharge',
            name='audit_deletes',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='intake',
            name='audit_inserts',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='intake',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='intake',
            name='audit_deletes',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='program',
            name='audit_inserts',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='program',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='program',
            name='audit_deletes',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='programstaff',
            name='audit_inserts',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='programstaff',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='programstaff',
            name='audit_deletes',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='servicerestriction',
            name='audit_inserts',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='servicerestriction',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='servicerestriction',
            name='audit_deletes',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='client',
            trigger=pgtrigger.compiler.Trigger(name='audit_inserts', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'client\', t."id", t.id::text, \'create\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'before\', NULL, \'after\', t."live"), \'first_name\', jsonb_build_object(\'before\', NULL, \'after\', t."first_name"), \'last_name\', jsonb_build_object(\'before\', NULL, \'after\', t."last_name"), \'dob\', jsonb_build_object(\'before\', NULL, \'after\', t."dob"), \'gender\', jsonb_build_object(\'before\', NULL, \'after\', t."gender"), \'languages\', jsonb_build_object(\'before\', NULL, \'after\', t."languages"), \'sexual_orientation\', jsonb_build_object(\'before\', NULL, \'after\', t."sexual_orientation"), \'immigration_status\', jsonb_build_object(\'before\', NULL, \'after\', t."immigration_status"), \'extra_demographics\', jsonb_build_object(\'before\', NULL, \'after\', t."extra_demographics"))\n    FROM new_rows t;\n    RETURN NULL;\n', hash='f673b78fb4a48d33748dcb27c8180235d2bedfa3', level='STATEMENT', operation='INSERT', pgid='pgtrigger_audit_inserts_4183f', referencing='REFERENCING NEW TABLE AS new_rows ', table='snippets_client', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='client',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), 'client', (r.j ->> 'id')::uuid, r.j ->> 'id', 'update',\n           NULLIF(current_setting('registry.actor_id', true), '')::uuid,\n           clock_timestamp(), d.diff\n    FROM (\n        SELECT to_jsonb(n) AS j, to_jsonb(o) AS o\n        FROM new_rows n JOIN old_rows o ON o.id = n.id\n    ) r\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(\n                   e.key, jsonb_build_object('before', r.o -> e.key, 'after', e.value)\n               ) AS diff\n        FROM jsonb_each(r.j) e\n        WHERE e.key <> ALL (ARRAY['id', 'created_at', 'updated_at', 'latest_revision_id', 'live_revision_id', 'has_unpublished_changes', 'first_published_at', 'last_published_at', 'go_live_at', 'expire_at', 'expired', 'locked', 'locked_at', 'locked_by_id', 'search_name']) AND (r.o -> e.key) IS DISTINCT FROM e.value\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n", hash='0322b31608b2a5778b9423c7ce97e9151a7b0820', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_bd8f0', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_client', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='client',
            trigger=pgtrigger.compiler.Trigger(name='audit_deletes', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'client\', t."id", t.id::text, \'delete\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'after\', NULL, \'before\', t."live"), \'first_name\', jsonb_build_object(\'after\', NULL, \'before\', t."first_name"), \'last_name\', jsonb_build_object(\'after\', NULL, \'before\', t."last_name"), \'dob\', jsonb_build_object(\'after\', NULL, \'before\', t."dob"), \'gender\', jsonb_build_object(\'after\', NULL, \'before\', t."gender"), \'languages\', jsonb_build_object(\'after\', NULL, \'before\', t."languages"), \'sexual_orientation\', jsonb_build_object(\'after\', NULL, \'before\', t."sexual_orientation"), \'immigration_status\', jsonb_build_object(\'after\', NULL, \'before\', t."immigration_status"), \'extra_demographics\', jsonb_build_object(\'after\', NULL, \'before\', t."extra_demographics"))\n    FROM old_rows t;\n    RETURN NULL;\n', hash='f5bc422c691ff63b762c6ed35eb771fde4fc8986', level='STATEMENT', operation='DELETE', pgid='pgtrigger_audit_deletes_1f819', referencing='REFERENCING OLD TABLE AS old_rows ', table='snippets_client', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='clientprogramenrollment',
            trigger=pgtrigger.compiler.Trigger(name='audit_inserts', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'clientprogramenrollment\', t."id", t.id::text, \'create\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'before\', NULL, \'after\', t."live"), \'client_id\', jsonb_build_object(\'before\', NULL, \'after\', t."client_id"), \'program_id\', jsonb_build_object(\'before\', NULL, \'after\', t."program_id"), \'start_date\', jsonb_build_object(\'before\', NULL, \'after\', t."start_date"), \'end_date\', jsonb_build_object(\'before\', NULL, \'after\', t."end_date"))\n    FROM new_rows t;\n    RETURN NULL;\n', hash='557470144d80cea77b695dd5adcc6ee8efd8f619', level='STATEMENT', operation='INSERT', pgid='pgtrigger_audit_inserts_0ec39', referencing='REFERENCING NEW TABLE AS new_rows ', table='snippets_clientprogramenrollment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='clientprogramenrollment',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), 'clientprogramenrollment', (r.j ->> 'id')::uuid, r.j ->> 'id', 'update',\n           NULLIF(current_setting('registry.actor_id', true), '')::uuid,\n           clock_timestamp(), d.diff\n    FROM (\n        SELECT to_jsonb(n) AS j, to_jsonb(o) AS o\n        FROM new_rows n JOIN old_rows o ON o.id = n.id\n    ) r\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(\n                   e.key, jsonb_build_object('before', r.o -> e.key, 'after', e.value)\n               ) AS diff\n        FROM jsonb_each(r.j) e\n        WHERE e.key <> ALL (ARRAY['id', 'created_at', 'updated_at', 'latest_revision_id', 'live_revision_id', 'has_unpublished_changes', 'first_published_at', 'last_published_at', 'go_live_at', 'expire_at', 'expired', 'locked', 'locked_at', 'locked_by_id']) AND (r.o -> e.key) IS DISTINCT FROM e.value\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n", hash='11e5de31e07c714278fa8dee1332bc229ce98e5b', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_5422c', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_clientprogramenrollment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='clientprogramenrollment',
            trigger=pgtrigger.compiler.Trigger(name='audit_deletes', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'clientprogramenrollment\', t."id", t.id::text, \'delete\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'after\', NULL, \'before\', t."live"), \'client_id\', jsonb_build_object(\'after\', NULL, \'before\', t."client_id"), \'program_id\', jsonb_build_object(\'after\', NULL, \'before\', t."program_id"), \'start_date\', jsonb_build_object(\'after\', NULL, \'before\', t."start_date"), \'end_date\', jsonb_build_object(\'after\', NULL, \'before\', t."end_date"))\n    FROM old_rows t;\n    RETURN NULL;\n', hash='97af03e82db5fae5f530f9d3cf67bdd8c2a3f826', level='STATEMENT', operation='DELETE', pgid='pgtrigger_audit_deletes_a7dc2', referencing='REFERENCING OLD TABLE AS old_rows ', table='snippets_clientprogramenrollment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='clientsourceid',
            trigger=pgtrigger.compiler.Trigger(name='audit_inserts', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'clientsourceid\', t."client_id", t.id::text, \'create\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'sort_order\', jsonb_build_object(\'before\', NULL, \'after\', t."sort_order"), \'client_id\', jsonb_build_object(\'before\', NULL, \'after\', t."client_id"), \'source\', jsonb_build_object(\'before\', NULL, \'after\', t."source"), \'uid_external\', jsonb_build_object(\'before\', NULL, \'after\', t."uid_external"))\n    FROM new_rows t;\n    RETURN NULL;\n', hash='daf93903851897ff2436d5d6cd3efd13b195e585', level='STATEMENT', operation='INSERT', pgid='pgtrigger_audit_inserts_a44f9', referencing='REFERENCING NEW TABLE AS new_rows ', table='snippets_clientsourceid', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='clientsourceid',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), 'clientsourceid', (r.j ->> 'client_id')::uuid, r.j ->> 'id', 'update',\n           NULLIF(current_setting('registry.actor_id', true), '')::uuid,\n           clock_timestamp(), d.diff\n    FROM (\n        SELECT to_jsonb(n) AS j, to_jsonb(o) AS o\n        FROM new_rows n JOIN old_rows o ON o.id = n.id\n    ) r\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(\n                   e.key, jsonb_build_object('before', r.o -> e.key, 'after', e.value)\n               ) AS diff\n        FROM jsonb_each(r.j) e\n        WHERE e.key <> ALL (ARRAY['id', 'created_at', 'updated_at', 'latest_revision_id', 'live_revision_id', 'has_unpublished_changes', 'first_published_at', 'last_published_at', 'go_live_at', 'expire_at', 'expired', 'locked', 'locked_at', 'locked_by_id']) AND (r.o -> e.key) IS DISTINCT FROM e.value\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n", hash='08ee26dbfd34af1f4905ce1bea1f6a740bce3839', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_58499', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_clientsourceid', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='clientsourceid',
            trigger=pgtrigger.compiler.Trigger(name='audit_deletes', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'clientsourceid\', t."client_id", t.id::text, \'delete\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'sort_order\', jsonb_build_object(\'after\', NULL, \'before\', t."sort_order"), \'client_id\', jsonb_build_object(\'after\', NULL, \'before\', t."client_id"), \'source\', jsonb_build_object(\'after\', NULL, \'before\', t."source"), \'uid_external\', jsonb_build_object(\'after\', NULL, \'before\', t."uid_external"))\n    FROM old_rows t;\n    RETURN NULL;\n', hash='1b477661ccfdda2c6ea1298ad7935d5494991816', level='STATEMENT', operation='DELETE', pgid='pgtrigger_audit_deletes_283c7', referencing='REFERENCING OLD TABLE AS old_rows ', table='snippets_clientsourceid', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='demographicquestion',
            trigger=pgtrigger.compiler.Trigger(name='audit_inserts', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'demographicquestion\', NULL, t.id::text, \'create\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'key\', jsonb_build_object(\'before\', NULL, \'after\', t."key"), \'label\', jsonb_build_object(\'before\', NULL, \'after\', t."label"), \'help_text\', jsonb_build_object(\'before\', NULL, \'after\', t."help_text"), \'choices\', jsonb_build_object(\'before\', NULL, \'after\', t."choices"), \'sort_order\', jsonb_build_object(\'before\', NULL, \'after\', t."sort_order"))\n    FROM new_rows t;\n    RETURN NULL;\n', hash='32ca219faef6358e6d2cf57535787344e88b1776', level='STATEMENT', operation='INSERT', pgid='pgtrigger_audit_inserts_2bef4', referencing='REFERENCING NEW TABLE AS new_rows ', table='snippets_demographicquestion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='demographicquestion',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), 'demographicquestion', NULL, r.j ->> 'id', 'update',\n           NULLIF(current_setting('registry.actor_id', true), '')::uuid,\n           clock_timestamp(), d.diff\n    FROM (\n        SELECT to_jsonb(n) AS j, to_jsonb(o) AS o\n        FROM new_rows n JOIN old_rows o ON o.id = n.id\n    ) r\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(\n                   e.key, jsonb_build_object('before', r.o -> e.key, 'after', e.value)\n               ) AS diff\n        FROM jsonb_each(r.j) e\n        WHERE e.key <> ALL (ARRAY['id', 'created_at', 'updated_at', 'latest_revision_id', 'live_revision_id', 'has_unpublished_changes', 'first_published_at', 'last_published_at', 'go_live_at', 'expire_at', 'expired', 'locked', 'locked_at', 'locked_by_id']) AND (r.o -> e.key) IS DISTINCT FROM e.value\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n", hash='594394486a05729571219c55af66a6418a7216ce', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_17a4f', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_demographicquestion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='demographicquestion',
            trigger=pgtrigger.compiler.Trigger(name='audit_deletes', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'demographicquestion\', NULL, t.id::text, \'delete\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'key\', jsonb_build_object(\'after\', NULL, \'before\', t."key"), \'label\', jsonb_build_object(\'after\', NULL, \'before\', t."label"), \'help_text\', jsonb_build_object(\'after\', NULL, \'before\', t."help_text"), \'choices\', jsonb_build_object(\'after\', NULL, \'before\', t."choices"), \'sort_order\', jsonb_build_object(\'after\', NULL, \'before\', t."sort_order"))\n    FROM old_rows t;\n    RETURN NULL;\n', hash='11a48fd4c2ee062c84a29777a0c1e565ff0b6d33', level='STATEMENT', operation='DELETE', pgid='pgtrigger_audit_deletes_96dc0', referencing='REFERENCING OLD TABLE AS old_rows ', table='snippets_demographicquestion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='department',
            trigger=pgtrigger.compiler.Trigger(name='audit_inserts', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'department\', t."id", t.id::text, \'create\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'before\', NULL, \'after\', t."live"), \'name\', jsonb_build_object(\'before\', NULL, \'after\', t."name"), \'owner\', jsonb_build_object(\'before\', NULL, \'after\', t."owner"))\n    FROM new_rows t;\n    RETURN NULL;\n', hash='0b05b11b445adcf5e11c2af86ad0204517d3b578', level='STATEMENT', operation='INSERT', pgid='pgtrigger_audit_inserts_ad14f', referencing='REFERENCING NEW TABLE AS new_rows ', table='snippets_department', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='department',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), 'department', (r.j ->> 'id')::uuid, r.j ->> 'id', 'update',\n           NULLIF(current_setting('registry.actor_id', true), '')::uuid,\n           clock_timestamp(), d.diff\n    FROM (\n        SELECT to_jsonb(n) AS j, to_jsonb(o) AS o\n        FROM new_rows n JOIN old_rows o ON o.id = n.id\n    ) r\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(\n                   e.key, jsonb_build_object('before', r.o -> e.key, 'after', e.value)\n               ) AS diff\n        FROM jsonb_each(r.j) e\n        WHERE e.key <> ALL (ARRAY['id', 'created_at', 'updated_at', 'latest_revision_id', 'live_revision_id', 'has_unpublished_changes', 'first_published_at', 'last_published_at', 'go_live_at', 'expire_at', 'expired', 'locked', 'locked_at', 'locked_by_id']) AND (r.o -> e.key) IS DISTINCT FROM e.value\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n", hash='8654dc5efabf2f0d6535d3b66b9e9a7215093b80', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_24d84', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_department', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='department',
            trigger=pgtrigger.compiler.Trigger(name='audit_deletes', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'department\', t."id", t.id::text, \'delete\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'after\', NULL, \'before\', t."live"), \'name\', jsonb_build_object(\'after\', NULL, \'before\', t."name"), \'owner\', jsonb_build_object(\'after\', NULL, \'before\', t."owner"))\n    FROM old_rows t;\n    RETURN NULL;\n', hash='5be679996086ecac64a6795a7c1a55376e15df3d', level='STATEMENT', operation='DELETE', pgid='pgtrigger_audit_deletes_01d6f', referencing='REFERENCING OLD TABLE AS old_rows ', table='snippets_department', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='discharge',
            trigger=pgtrigger.compiler.Trigger(name='audit_inserts', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'discharge\', t."id", t.id::text, \'create\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'before\', NULL, \'after\', t."live"), \'client_id\', jsonb_build_object(\'before\', NULL, \'after\', t."client_id"), \'program_id\', jsonb_build_object(\'before\', NULL, \'after\', t."program_id"), \'discharge_date\', jsonb_build_object(\'before\', NULL, \'after\', t."discharge_date"), \'reason\', jsonb_build_object(\'before\', NULL, \'after\', t."reason"))\n    FROM new_rows t;\n    RETURN NULL;\n', hash='6852f47c503a129deeeba96cc1b4262a3d361191', level='STATEMENT', operation='INSERT', pgid='pgtrigger_audit_inserts_98019', referencing='REFERENCING NEW TABLE AS new_rows ', table='snippets_discharge', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='discharge',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), 'discharge', (r.j ->> 'id')::uuid, r.j ->> 'id', 'update',\n           NULLIF(current_setting('registry.actor_id', true), '')::uuid,\n           clock_timestamp(), d.diff\n    FROM (\n        SELECT to_jsonb(n) AS j, to_jsonb(o) AS o\n        FROM new_rows n JOIN old_rows o ON o.id = n.id\n    ) r\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(\n                   e.key, jsonb_build_object('before', r.o -> e.key, 'after', e.value)\n               ) AS diff\n        FROM jsonb_each(r.j) e\n        WHERE e.key <> ALL (ARRAY['id', 'created_at', 'updated_at', 'latest_revision_id', 'live_revision_id', 'has_unpublished_changes', 'first_published_at', 'last_published_at', 'go_live_at', 'expire_at', 'expired', 'locked', 'locked_at', 'locked_by_id']) AND (r.o -> e.key) IS DISTINCT FROM e.value\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n", hash='a606d0ce91dc80d39490e14d9910d17b07c54127', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_27e89', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_discharge', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='discharge',
            trigger=pgtrigger.compiler.Trigger(name='audit_deletes', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'discharge\', t."id", t.id::text, \'delete\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'after\', NULL, \'before\', t."live"), \'client_id\', jsonb_build_object(\'after\', NULL, \'before\', t."client_id"), \'program_id\', jsonb_build_object(\'after\', NULL, \'before\', t."program_id"), \'discharge_date\', jsonb_build_object(\'after\', NULL, \'before\', t."discharge_date"), \'reason\', jsonb_build_object(\'after\', NULL, \'before\', t."reason"))\n    FROM old_rows t;\n    RETURN NULL;\n', hash='6ca64bacaab6aec9ba3ed77612d425535eafa8e3', level='STATEMENT', operation='DELETE', pgid='pgtrigger_audit_deletes_1ac2c', referencing='REFERENCING OLD TABLE AS old_rows ', table='snippets_discharge', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='intake',
            trigger=pgtrigger.compiler.Trigger(name='audit_inserts', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'intake\', t."id", t.id::text, \'create\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'before\', NULL, \'after\', t."live"), \'client_id\', jsonb_build_object(\'before\', NULL, \'after\', t."client_id"), \'program_id\', jsonb_build_object(\'before\', NULL, \'after\', t."program_id"), \'intake_date\', jsonb_build_object(\'before\', NULL, \'after\', t."intake_date"), \'source_system\', jsonb_build_object(\'before\', NULL, \'after\', t."source_system"))\n    FROM new_rows t;\n    RETURN NULL;\n', hash='b34f5b7dba213e3bbf5bad9db4a00afddebd5d5f', level='STATEMENT', operation='INSERT', pgid='pgtrigger_audit_inserts_8a185', referencing='REFERENCING NEW TABLE AS new_rows ', table='snippets_intake', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='intake',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), 'intake', (r.j ->> 'id')::uuid, r.j ->> 'id', 'update',\n           NULLIF(current_setting('registry.actor_id', true), '')::uuid,\n           clock_timestamp(), d.diff\n    FROM (\n        SELECT to_jsonb(n) AS j, to_jsonb(o) AS o\n        FROM new_rows n JOIN old_rows o ON o.id = n.id\n    ) r\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(\n                   e.key, jsonb_build_object('before', r.o -> e.key, 'after', e.value)\n               ) AS diff\n        FROM jsonb_each(r.j) e\n        WHERE e.key <> ALL (ARRAY['id', 'created_at', 'updated_at', 'latest_revision_id', 'live_revision_id', 'has_unpublished_changes', 'first_published_at', 'last_published_at', 'go_live_at', 'expire_at', 'expired', 'locked', 'locked_at', 'locked_by_id']) AND (r.o -> e.key) IS DISTINCT FROM e.value\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n", hash='403dd39f96bb31ed4d0bc019721042a1d0817974', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_058d2', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_intake', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='intake',
            trigger=pgtrigger.compiler.Trigger(name='audit_deletes', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'intake\', t."id", t.id::text, \'delete\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'after\', NULL, \'before\', t."live"), \'client_id\', jsonb_build_object(\'after\', NULL, \'before\', t."client_id"), \'program_id\', jsonb_build_object(\'after\', NULL, \'before\', t."program_id"), \'intake_date\', jsonb_build_object(\'after\', NULL, \'before\', t."intake_date"), \'source_system\', jsonb_build_object(\'after\', NULL, \'before\', t."source_system"))\n    FROM old_rows t;\n    RETURN NULL;\n', hash='271968d56b9892466b758de22300a8b258189f54', level='STATEMENT', operation='DELETE', pgid='pgtrigger_audit_deletes_77bcb', referencing='REFERENCING OLD TABLE AS old_rows ', table='snippets_intake', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='program',
            trigger=pgtrigger.compiler.Trigger(name='audit_inserts', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'program\', t."id", t.id::text, \'create\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'before\', NULL, \'after\', t."live"), \'name\', jsonb_build_object(\'before\', NULL, \'after\', t."name"), \'department_id\', jsonb_build_object(\'before\', NULL, \'after\', t."department_id"), \'location\', jsonb_build_object(\'before\', NULL, \'after\', t."location"), \'capacity_current\', jsonb_build_object(\'before\', NULL, \'after\', t."capacity_current"), \'capacity_effective_date\', jsonb_build_object(\'before\', NULL, \'after\', t."capacity_effective_date"))\n    FROM new_rows t;\n    RETURN NULL;\n', hash='3ce3a6f2a46cf50bae001dddffd98f747a4ef64d', level='STATEMENT', operation='INSERT', pgid='pgtrigger_audit_inserts_14c29', referencing='REFERENCING NEW TABLE AS new_rows ', table='snippets_program', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='program',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), 'program', (r.j ->> 'id')::uuid, r.j ->> 'id', 'update',\n           NULLIF(current_setting('registry.actor_id', true), '')::uuid,\n           clock_timestamp(), d.diff\n    FROM (\n        SELECT to_jsonb(n) AS j, to_jsonb(o) AS o\n        FROM new_rows n JOIN old_rows o ON o.id = n.id\n    ) r\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(\n                   e.key, jsonb_build_object('before', r.o -> e.key, 'after', e.value)\n               ) AS diff\n        FROM jsonb_each(r.j) e\n        WHERE e.key <> ALL (ARRAY['id', 'created_at', 'updated_at', 'latest_revision_id', 'live_revision_id', 'has_unpublished_changes', 'first_published_at', 'last_published_at', 'go_live_at', 'expire_at', 'expired', 'locked', 'locked_at', 'locked_by_id']) AND (r.o -> e.key) IS DISTINCT FROM e.value\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n", hash='1be78bd236231f2ea7857f57658873928ddfb8d6', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_d39d8', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_program', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='program',
            trigger=pgtrigger.compiler.Trigger(name='audit_deletes', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'program\', t."id", t.id::text, \'delete\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'after\', NULL, \'before\', t."live"), \'name\', jsonb_build_object(\'after\', NULL, \'before\', t."name"), \'department_id\', jsonb_build_object(\'after\', NULL, \'before\', t."department_id"), \'location\', jsonb_build_object(\'after\', NULL, \'before\', t."location"), \'capacity_current\', jsonb_build_object(\'after\', NULL, \'before\', t."capacity_current"), \'capacity_effective_date\', jsonb_build_object(\'after\', NULL, \'before\', t."capacity_effective_date"))\n    FROM old_rows t;\n    RETURN NULL;\n', hash='cb88f889e2a40943173f865668429dcaf70c8442', level='STATEMENT', operation='DELETE', pgid='pgtrigger_audit_deletes_e1318', referencing='REFERENCING OLD TABLE AS old_rows ', table='snippets_program', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='programstaff',
            trigger=pgtrigger.compiler.Trigger(name='audit_inserts', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'programstaff\', t."program_id", t.id::text, \'create\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'sort_order\', jsonb_build_object(\'before\', NULL, \'after\', t."sort_order"), \'program_id\', jsonb_build_object(\'before\', NULL, \'after\', t."program_id"), \'staff_id\', jsonb_build_object(\'before\', NULL, \'after\', t."staff_id"), \'is_manager\', jsonb_build_object(\'before\', NULL, \'after\', t."is_manager"))\n    FROM new_rows t;\n    RETURN NULL;\n', hash='1f3174573299884b1ea593feeac41107f1549717', level='STATEMENT', operation='INSERT', pgid='pgtrigger_audit_inserts_ee24a', referencing='REFERENCING NEW TABLE AS new_rows ', table='snippets_programstaff', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='programstaff',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), 'programstaff', (r.j ->> 'program_id')::uuid, r.j ->> 'id', 'update',\n           NULLIF(current_setting('registry.actor_id', true), '')::uuid,\n           clock_timestamp(), d.diff\n    FROM (\n        SELECT to_jsonb(n) AS j, to_jsonb(o) AS o\n        FROM new_rows n JOIN old_rows o ON o.id = n.id\n    ) r\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(\n                   e.key, jsonb_build_object('before', r.o -> e.key, 'after', e.value)\n               ) AS diff\n        FROM jsonb_each(r.j) e\n        WHERE e.key <> ALL (ARRAY['id', 'created_at', 'updated_at', 'latest_revision_id', 'live_revision_id', 'has_unpublished_changes', 'first_published_at', 'last_published_at', 'go_live_at', 'expire_at', 'expired', 'locked', 'locked_at', 'locked_by_id']) AND (r.o -> e.key) IS DISTINCT FROM e.value\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n", hash='c93a960c362b960e624c394219e7b852fb7acbd8', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_ed8ba', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_programstaff', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='programstaff',
            trigger=pgtrigger.compiler.Trigger(name='audit_deletes', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'programstaff\', t."program_id", t.id::text, \'delete\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'sort_order\', jsonb_build_object(\'after\', NULL, \'before\', t."sort_order"), \'program_id\', jsonb_build_object(\'after\', NULL, \'before\', t."program_id"), \'staff_id\', jsonb_build_object(\'after\', NULL, \'before\', t."staff_id"), \'is_manager\', jsonb_build_object(\'after\', NULL, \'before\', t."is_manager"))\n    FROM old_rows t;\n    RETURN NULL;\n', hash='0716ac7a1f03da1f1c95cec3eb82e343d5f59d5d', level='STATEMENT', operation='DELETE', pgid='pgtrigger_audit_deletes_0e6e3', referencing='REFERENCING OLD TABLE AS old_rows ', table='snippets_programstaff', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='servicerestriction',
            trigger=pgtrigger.compiler.Trigger(name='audit_inserts', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'servicerestriction\', t."id", t.id::text, \'create\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'before\', NULL, \'after\', t."live"), \'client_id\', jsonb_build_object(\'before\', NULL, \'after\', t."client_id"), \'scope\', jsonb_build_object(\'before\', NULL, \'after\', t."scope"), \'program_id\', jsonb_build_object(\'before\', NULL, \'after\', t."program_id"), \'start_date\', jsonb_build_object(\'before\', NULL, \'after\', t."start_date"), \'end_date\', jsonb_build_object(\'before\', NULL, \'after\', t."end_date"), \'reason\', jsonb_build_object(\'before\', NULL, \'after\', t."reason"))\n    FROM new_rows t;\n    RETURN NULL;\n', hash='403e94f6bfcca1d5411db741edf4592b81b8018c', level='STATEMENT', operation='INSERT', pgid='pgtrigger_audit_inserts_6e8ec', referencing='REFERENCING NEW TABLE AS new_rows ', table='snippets_servicerestriction', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='servicerestriction',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), 'servicerestriction', (r.j ->> 'id')::uuid, r.j ->> 'id', 'update',\n           NULLIF(current_setting('registry.actor_id', true), '')::uuid,\n           clock_timestamp(), d.diff\n    FROM (\n        SELECT to_jsonb(n) AS j, to_jsonb(o) AS o\n        FROM new_rows n JOIN old_rows o ON o.id = n.id\n    ) r\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(\n                   e.key, jsonb_build_object('before', r.o -> e.key, 'after', e.value)\n               ) AS diff\n        FROM jsonb_each(r.j) e\n        WHERE e.key <> ALL (ARRAY['id', 'created_at', 'updated_at', 'latest_revision_id', 'live_revision_id', 'has_unpublished_changes', 'first_published_at', 'last_published_at', 'go_live_at', 'expire_at', 'expired', 'locked', 'locked_at', 'locked_by_id']) AND (r.o -> e.key) IS DISTINCT FROM e.value\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n", hash='d96155009a3fe0d3523a3291cc6aa09c1b737898', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_43dbb', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_servicerestriction', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='servicerestriction',
            trigger=pgtrigger.compiler.Trigger(name='audit_deletes', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'servicerestriction\', t."id", t.id::text, \'delete\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), jsonb_build_object(\'live\', jsonb_build_object(\'after\', NULL, \'before\', t."live"), \'client_id\', jsonb_build_object(\'after\', NULL, \'before\', t."client_id"), \'scope\', jsonb_build_object(\'after\', NULL, \'before\', t."scope"), \'program_id\', jsonb_build_object(\'after\', NULL, \'before\', t."program_id"), \'start_date\', jsonb_build_object(\'after\', NULL, \'before\', t."start_date"), \'end_date\', jsonb_build_object(\'after\', NULL, \'before\', t."end_date"), \'reason\', jsonb_build_object(\'after\', NULL, \'before\', t."reason"))\n    FROM old_rows t;\n    RETURN NULL;\n', hash='3bc5df68e43ed143e575b1f95099abfa70cbe1fe', level='STATEMENT', operation='DELETE', pgid='pgtrigger_audit_deletes_390ad', referencing='REFERENCING OLD TABLE AS old_rows ', table='snippets_servicerestriction', when='AFTER')),
        ),
    ]
