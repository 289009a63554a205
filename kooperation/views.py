from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from redis import Redis
from redis.exceptions import RedisError

from initiatives.models import Area
from partners.models import Partner


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partners=Partner.objects.members().with_department_heads().order_by("name"),
            areas=Area.objects.all(),
            **kwargs,
        )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _broker_state() -> str:
    broker_url = settings.CELERY_BROKER_URL
    if not broker_url.startswith(("redis://", "rediss://", "unix://")):
        return "inline"
    try:
        client = Redis.from_url(broker_url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return "ok" if client.ping() else "error"
        finally:
            client.close()
    except RedisError:
        return "error"


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 while the database answers, else 503.

    The broker's state is reported but does not fail the check: pages are served without it.
    """
    database_ok = _database_answers()
    body = {
        "status": "ok" if database_ok else "error",
        "database": "ok" if database_ok else "error",
        "broker": _broker_state(),
    }
    return JsonResponse(body, status=200 if database_ok else 503)
