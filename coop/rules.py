"""Predicates the apps' rules.py combine: a role's model permission, the user's scope."""

import rules


def holds(permission: str):
    """A predicate true when one of the user's roles (or the user directly) grants the model permission `permission`.

    A rule bears the name of the model permission it narrows to one object (`tasks.change_output`
    is `holds("tasks.change_output")` and the output's task in the user's scope), so this reads the
    permissions the model backend grants (`get_all_permissions`, the groups) rather than `has_perm`,
    which would ask the rules again and loop back into the rule itself. Superusers hold every
    permission, as `has_perm` says.
    """

    @rules.predicate(name=f"holds {permission}")
    def check(user) -> bool:
        return user.is_active and (user.is_superuser or permission in user.get_all_permissions())

    return check
