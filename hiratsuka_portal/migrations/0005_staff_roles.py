"""The staff roles 編集者, 寄附担当 and 閲覧者 with the permissions hiratsuka_portal/roles.py grants.

On a fresh database the permissions do not exist yet at this point (Django creates them after
the migrations), so they are created first. The post_migrate handler keeps the roles in step
afterwards; this migration makes them exist as soon as the schema does.
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from hiratsuka_portal.roles import permissions_create_all, roles_apply

    using = schema_editor.connection.alias
    permissions_create_all(apps=apps, using=using)
    roles_apply(apps=apps, using=using)


def remove_roles(apps, schema_editor):
    from hiratsuka_portal.roles import ROLES

    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    # Every app whose models the roles cover, at its latest migration, so that their models
    # (and the inquiries' own permission) are in the state this migration sees.
    dependencies = [
        ("hiratsuka_portal", "0004_accessibility_criterion"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sessions", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("core", "0003_siteprofile_website"),
        ("projects", "0006_project_derived_experiment_status_and_accepts_donations"),
        ("donations", "0007_inquiry_personal_data_permission"),
        ("agreements", "0004_agreement_text_is_draft"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
