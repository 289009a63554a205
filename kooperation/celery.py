"""The Celery app, configured from Django's settings (namespace CELERY_)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kooperation.settings")

app = Celery("kooperation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
