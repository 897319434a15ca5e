# Audit UPDATE triggers that name each audited column (audit/triggers.py).

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('snippets', '0008_covering_dob_index'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='client',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='clientprogramenrollment',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='clientsourceid',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='demographicquestion',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='department',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='discharge',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='intake',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='program',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='programstaff',
            name='audit_updates',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='servicerestriction',
            name='audit_updates',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='client',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'client\', n."id", n.id::text, \'update\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), d.diff\n    FROM new_rows n JOIN old_rows o ON o.id = n.id\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(c.name, jsonb_build_object(\'before\', c.before, \'after\', c.after))\n            AS diff\n        FROM (VALUES (\'live\', to_jsonb(o."live"), to_jsonb(n."live")), (\'first_name\', to_jsonb(o."first_name"), to_jsonb(n."first_name")), (\'last_name\', to_jsonb(o."last_name"), to_jsonb(n."last_name")), (\'dob\', to_jsonb(o."dob"), to_jsonb(n."dob")), (\'gender\', to_jsonb(o."gender"), to_jsonb(n."gender")), (\'languages\', to_jsonb(o."languages"), to_jsonb(n."languages")), (\'sexual_orientation\', to_jsonb(o."sexual_orientation"), to_jsonb(n."sexual_orientation")), (\'immigration_status\', to_jsonb(o."immigration_status"), to_jsonb(n."immigration_status")), (\'extra_demographics\', to_jsonb(o."extra_demographics"), to_jsonb(n."extra_demographics"))) AS c(name, before, after)\n        WHERE c.before IS DISTINCT FROM c.after\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n', hash='a2a4559e7c434fa0e0d363eaf8d1d355734877f3', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_bd8f0', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_client', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='clientprogramenrollment',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'clientprogramenrollment\', n."id", n.id::text, \'update\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), d.diff\n    FROM new_rows n JOIN old_rows o ON o.id = n.id\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(c.name, jsonb_build_object(\'before\', c.before, \'after\', c.after))\n            AS diff\n        FROM (VALUES (\'live\', to_jsonb(o."live"), to_jsonb(n."live")), (\'client_id\', to_jsonb(o."client_id"), to_jsonb(n."client_id")), (\'program_id\', to_jsonb(o."program_id"), to_jsonb(n."program_id")), (\'start_date\', to_jsonb(o."start_date"), to_jsonb(n."start_date")), (\'end_date\', to_jsonb(o."end_date"), to_jsonb(n."end_date"))) AS c(name, before, after)\n        WHERE c.before IS DISTINCT FROM c.after\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n', hash='12d8a8648a4a504d835537ddc842db385b8d9a37', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_5422c', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_clientprogramenrollment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='clientsourceid',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'clientsourceid\', n."client_id", n.id::text, \'update\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), d.diff\n    FROM new_rows n JOIN old_rows o ON o.id = n.id\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(c.name, jsonb_build_object(\'before\', c.before, \'after\', c.after))\n            AS diff\n        FROM (VALUES (\'sort_order\', to_jsonb(o."sort_order"), to_jsonb(n."sort_order")), (\'client_id\', to_jsonb(o."client_id"), to_jsonb(n."client_id")), (\'source\', to_jsonb(o."source"), to_jsonb(n."source")), (\'uid_external\', to_jsonb(o."uid_external"), to_jsonb(n."uid_external"))) AS c(name, before, after)\n        WHERE c.before IS DISTINCT FROM c.after\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n', hash='026544a05f617cf4ed136196475b84fa741a28cb', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_58499', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_clientsourceid', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='demographicquestion',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'demographicquestion\', NULL, n.id::text, \'update\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), d.diff\n    FROM new_rows n JOIN old_rows o ON o.id = n.id\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(c.name, jsonb_build_object(\'before\', c.before, \'after\', c.after))\n            AS diff\n        FROM (VALUES (\'key\', to_jsonb(o."key"), to_jsonb(n."key")), (\'label\', to_jsonb(o."label"), to_jsonb(n."label")), (\'help_text\', to_jsonb(o."help_text"), to_jsonb(n."help_text")), (\'choices\', to_jsonb(o."choices"), to_jsonb(n."choices")), (\'sort_order\', to_jsonb(o."sort_order"), to_jsonb(n."sort_order"))) AS c(name, before, after)\n        WHERE c.before IS DISTINCT FROM c.after\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n', hash='43d70f47144b54104734288fa53aa8f0667c0aec', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_17a4f', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_demographicquestion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='department',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'department\', n."id", n.id::text, \'update\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), d.diff\n    FROM new_rows n JOIN old_rows o ON o.id = n.id\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(c.name, jsonb_build_object(\'before\', c.before, \'after\', c.after))\n            AS diff\n        FROM (VALUES (\'live\', to_jsonb(o."live"), to_jsonb(n."live")), (\'name\', to_jsonb(o."name"), to_jsonb(n."name")), (\'owner\', to_jsonb(o."owner"), to_jsonb(n."owner"))) AS c(name, before, after)\n        WHERE c.before IS DISTINCT FROM c.after\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n', hash='6aba6dac46cb293dbf747a641d79049a6b4e6a8e', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_24d84', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_department', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='discharge',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'discharge\', n."id", n.id::text, \'update\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), d.diff\n    FROM new_rows n JOIN old_rows o ON o.id = n.id\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(c.name, jsonb_build_object(\'before\', c.before, \'after\', c.after))\n            AS diff\n        FROM (VALUES (\'live\', to_jsonb(o."live"), to_jsonb(n."live")), (\'client_id\', to_jsonb(o."client_id"), to_jsonb(n."client_id")), (\'program_id\', to_jsonb(o."program_id"), to_jsonb(n."program_id")), (\'discharge_date\', to_jsonb(o."discharge_date"), to_jsonb(n."discharge_date")), (\'reason\', to_jsonb(o."reason"), to_jsonb(n."reason"))) AS c(name, before, after)\n        WHERE c.before IS DISTINCT FROM c.after\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n', hash='18ef97dfab5d653a26ed3100b49f4fe6de0afd08', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_27e89', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_discharge', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='intake',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'intake\', n."id", n.id::text, \'update\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), d.diff\n    FROM new_rows n JOIN old_rows o ON o.id = n.id\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(c.name, jsonb_build_object(\'before\', c.before, \'after\', c.after))\n            AS diff\n        FROM (VALUES (\'live\', to_jsonb(o."live"), to_jsonb(n."live")), (\'client_id\', to_jsonb(o."client_id"), to_jsonb(n."client_id")), (\'program_id\', to_jsonb(o."program_id"), to_jsonb(n."program_id")), (\'intake_date\', to_jsonb(o."intake_date"), to_jsonb(n."intake_date")), (\'source_system\', to_jsonb(o."source_system"), to_jsonb(n."source_system"))) AS c(name, before, after)\n        WHERE c.before IS DISTINCT FROM c.after\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n', hash='25f33f9ffa61dce4b428e7d6f1358190b9a98368', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_058d2', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_intake', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='program',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'program\', n."id", n.id::text, \'update\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), d.diff\n    FROM new_rows n JOIN old_rows o ON o.id = n.id\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(c.name, jsonb_build_object(\'before\', c.before, \'after\', c.after))\n            AS diff\n        FROM (VALUES (\'live\', to_jsonb(o."live"), to_jsonb(n."live")), (\'name\', to_jsonb(o."name"), to_jsonb(n."name")), (\'department_id\', to_jsonb(o."department_id"), to_jsonb(n."department_id")), (\'location\', to_jsonb(o."location"), to_jsonb(n."location")), (\'capacity_current\', to_jsonb(o."capacity_current"), to_jsonb(n."capacity_current")), (\'capacity_effective_date\', to_jsonb(o."capacity_effective_date"), to_jsonb(n."capacity_effective_date"))) AS c(name, before, after)\n        WHERE c.before IS DISTINCT FROM c.after\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n', hash='8fa86e1f550a15beeb3a803df09ca8813e5da61b', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_d39d8', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_program', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='programstaff',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'programstaff\', n."program_id", n.id::text, \'update\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), d.diff\n    FROM new_rows n JOIN old_rows o ON o.id = n.id\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(c.name, jsonb_build_object(\'before\', c.before, \'after\', c.after))\n            AS diff\n        FROM (VALUES (\'sort_order\', to_jsonb(o."sort_order"), to_jsonb(n."sort_order")), (\'program_id\', to_jsonb(o."program_id"), to_jsonb(n."program_id")), (\'staff_id\', to_jsonb(o."staff_id"), to_jsonb(n."staff_id")), (\'is_manager\', to_jsonb(o."is_manager"), to_jsonb(n."is_manager"))) AS c(name, before, after)\n        WHERE c.before IS DISTINCT FROM c.after\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n', hash='cbab6363b0f79b14acf5e867e2c360805170c8db', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_ed8ba', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_programstaff', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='servicerestriction',
            trigger=pgtrigger.compiler.Trigger(name='audit_updates', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,\n                           changed_at, diff_json)\n    SELECT registry_uuid7(), \'servicerestriction\', n."id", n.id::text, \'update\',\n           NULLIF(current_setting(\'registry.actor_id\', true), \'\')::uuid,\n           clock_timestamp(), d.diff\n    FROM new_rows n JOIN old_rows o ON o.id = n.id\n    CROSS JOIN LATERAL (\n        SELECT jsonb_object_agg(c.name, jsonb_build_object(\'before\', c.before, \'after\', c.after))\n            AS diff\n        FROM (VALUES (\'live\', to_jsonb(o."live"), to_jsonb(n."live")), (\'client_id\', to_jsonb(o."client_id"), to_jsonb(n."client_id")), (\'scope\', to_jsonb(o."scope"), to_jsonb(n."scope")), (\'program_id\', to_jsonb(o."program_id"), to_jsonb(n."program_id")), (\'start_date\', to_jsonb(o."start_date"), to_jsonb(n."start_date")), (\'end_date\', to_jsonb(o."end_date"), to_jsonb(n."end_date")), (\'reason\', to_jsonb(o."reason"), to_jsonb(n."reason"))) AS c(name, before, after)\n        WHERE c.before IS DISTINCT FROM c.after\n    ) d\n    WHERE d.diff IS NOT NULL;\n    RETURN NULL;\n', hash='51b09590f06cd0cbe27708a8f01580a77540ed62', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_audit_updates_43dbb', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='snippets_servicerestriction', when='AFTER')),
        ),
    ]
