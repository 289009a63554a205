from django.apps import AppConfig


class KooperationConfig(AppConfig):
    name = "kooperation"
    verbose_name = "Kooperationsportal"

    def ready(self):
        from kooperation import checks  # noqa: F401  (registers the deploy checks)
