"""The health check a load balancer asks before sending users to an application server."""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Once this process has seen every migration it knows applied, they stay applied until the
# next deployment restarts it; reading the migration files again on every probe is wasted work.
_migrations_known_applied = False


def database_reachable() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def migrations_applied() -> bool:
    """True when the database holds every migration this code expects."""
    global _migrations_known_applied
    if not _migrations_known_applied:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        targets = executor.loader.graph.leaf_nodes()
        _migrations_known_applied = not executor.migration_plan(targets)
    return _migrations_known_applied


@never_cache
@require_GET
def healthz(request):
    """200 when this server can serve users, 503 (with what is wrong) when it cannot.

    Open without login: it tells nothing but "ok" or which check failed.
    """
    checks = {"database": database_reachable()}
    checks["migrations"] = checks["database"] and migrations_applied()
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if passed else "failed" for name, passed in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)
