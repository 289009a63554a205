from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiativen")

    def ready(self):
        from initiatives import caching
        from initiatives.models import Area, Initiative, Participation, Solution
        from partners.models import Partner

        receivers = [
            (caching.list_changed, [Initiative, Participation, Area]),
            (caching.solutions_changed, [Solution]),
            (caching.partner_changed, [Partner]),
        ]
        post_migrate.connect(caching.migrated, sender=self, dispatch_uid="caches-migrated")
        for receiver, models in receivers:
            for model in models:
                for signal in (post_save, post_delete):
                    signal.connect(
                        receiver,
                        sender=model,
                        dispatch_uid=f"{receiver.__name__}-{model.__name__}-{id(signal)}",
                    )
