"""Helpers for the data migrations that give staff roles their permissions.

Kept small and free of model imports: migrations call them with historical `apps`.
"""


def create_permissions(apps):
    """Permissions are normally created after all migrations; a role migration needs them now."""
    from django.contrib.auth.management import create_permissions as django_create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        django_create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, roles):
    """roles: {"Group name": [(app_label, model, codename), ...]}: add these permissions."""
    create_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for name, permissions in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename in permissions:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename=codename,
                )
            )
