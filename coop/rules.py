"""Predicates the apps' rules.py combine: a role's model permission, the user's scope."""

import rules


def holds(permission: str):
    """A predicate true when one of the user's roles grants the model permission `permission`.

    The rule names of the apps differ from Django's permission names, so this asks
    Django's ModelBackend (the groups) and never loops back into a rule.
    """

    @rules.predicate(name=f"holds {permission}")
    def check(user) -> bool:
        return user.has_perm(permission)

    return check
