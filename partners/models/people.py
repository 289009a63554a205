from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners import official_keys
from partners.validators import validate_official_key, validate_single_line


class PartnerQuerySet(models.QuerySet):
    def members(self):
        return self.filter(status=Partner.Status.MEMBER)

    def with_department_heads(self):
        """Prefetches the active department heads into `department_heads`."""
        return self.prefetch_related(
            models.Prefetch(
                "people",
                queryset=User.objects.filter(
                    role=User.Role.DEPARTMENT_HEAD, is_active=True
                ).order_by("name"),
                to_attr="department_heads",
            )
        )


class Partner(models.Model):
    """A municipality or district that is, or was, a party to the cooperation."""

    class Kind(models.TextChoices):
        KREISFREIE_STADT = "kreisfreie_stadt", _("Kreisfreie Stadt")
        LANDKREIS = "landkreis", _("Landkreis")
        REGION = "region", _("Region / Regionalverband")
        GROSSE_KREISANGEHOERIGE_STADT = (
            "grosse_kreisangehoerige_stadt",
            _("Große kreisangehörige Stadt"),
        )
        STADT = "stadt", _("Kreisangehörige Stadt")
        GEMEINDE = "gemeinde", _("Gemeinde")
        GEMEINDEVERBAND = "gemeindeverband", _("Samtgemeinde, Verbandsgemeinde oder Amt")

    class Status(models.TextChoices):
        MEMBER = "member", _("Mitglied")
        FORMER = "former", _("Ehemaliger Partner")

    name = models.CharField(
        _("Name"), max_length=200, unique=True, validators=[validate_single_line]
    )
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    kind = models.CharField(_("Art"), max_length=40, choices=Kind.choices)
    official_key = models.CharField(
        _("Amtlicher Schlüssel"),
        max_length=12,
        unique=True,
        validators=[validate_official_key],
        help_text=_("Kreisschlüssel (5 Ziffern), AGS (8 Ziffern) oder ARS (12 Ziffern)."),
    )
    website = models.URLField(_("Website"), blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.MEMBER
    )
    joined_on = models.DateField(_("Beigetreten am"), null=True, blank=True)
    left_on = models.DateField(_("Ausgetreten am"), null=True, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), default=timezone.now, editable=False)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Partner")
        verbose_name_plural = _("Partner")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="former") | models.Q(left_on__isnull=True),
                name="partner_left_only_when_former",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_member(self) -> bool:
        return self.status == self.Status.MEMBER

    @property
    def official_key_kind(self) -> str:
        """Kreisschlüssel for a Landkreis, AGS for a municipality (official_keys.label)."""
        return official_keys.label(self.official_key, self.kind)

    @property
    def official_key_shown(self) -> str:
        return official_keys.shown(self.official_key, self.kind)

    def clean_fields(self, exclude=None):
        # One identity per Kommune: 03151000 and 031510000000 are stored as 03151.
        self.official_key = official_keys.canonical(self.official_key or "")
        super().clean_fields(exclude=exclude)


class EmailDomain(models.Model):
    """A domain whose addresses belong to the partner's staff (used for sign-up)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="email_domains", verbose_name=_("Partner")
    )
    domain = models.CharField(
        _("Domain"),
        max_length=253,
        validators=[DomainNameValidator(accept_idna=False)],
        help_text=_("Zum Beispiel braunschweig.de – ohne @."),
    )
    confirmed = models.BooleanField(
        _("Bestätigt"),
        default=True,
        help_text=_(
            "Registrieren können sich nur Adressen auf bestätigten Domains. Domains aus einem "
            "Beitrittsantrag bestätigt die Geschäftsstelle, nachdem sie sie geprüft hat."
        ),
    )

    class Meta:
        verbose_name = _("E-Mail-Domain")
        verbose_name_plural = _("E-Mail-Domains")
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="email_domain_unique_ci"),
        ]

    def __str__(self):
        return self.domain

    def clean_fields(self, exclude=None):
        self.domain = (self.domain or "").strip().lower().removeprefix("@")
        super().clean_fields(exclude=exclude)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_queryset(self):
        # Nearly every page and permission check asks for the signed-in person's partner.
        return super().get_queryset().select_related("partner")

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Eine E-Mail-Adresse ist erforderlich.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the portal: staff or department head of one partner, or an admin of the
    cooperation's office (who need not belong to a partner)."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Mitarbeiter:in")
        DEPARTMENT_HEAD = "department_head", _("Dezernent:in")

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    name = models.CharField(_("Name"), max_length=150, validators=[validate_single_line])
    job_title = models.CharField(
        _("Funktion"), max_length=200, blank=True, validators=[validate_single_line]
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("Partner"),
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.STAFF)
    requested_role = models.CharField(
        _("Beantragte Rolle"),
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text=_("Von der Geschäftsstelle zu bestätigen, etwa nach einem Beitritt."),
    )
    portfolio = models.CharField(
        _("Geschäftsbereich"),
        max_length=300,
        blank=True,
        help_text=_("Für Dezernentinnen und Dezernenten: wofür sie zuständig sind."),
        validators=[validate_single_line],
    )
    is_active = models.BooleanField(_("Aktiv"), default=True)
    is_staff = models.BooleanField(
        _("Geschäftsstelle"),
        default=False,
        help_text=_("Darf die Verwaltungsoberfläche der Kooperation benutzen."),
    )
    date_joined = models.DateTimeField(_("Registriert am"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False) | models.Q(is_staff=True),
                name="user_has_partner_unless_office",
            ),
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False) | models.Q(role="staff"),
                name="user_department_head_has_partner",
            ),
        ]

    def __str__(self):
        return self.name or self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()
        if self.partner_id is None and self.role == self.Role.DEPARTMENT_HEAD:
            raise ValidationError(
                {"partner": _("Eine Dezernentin oder ein Dezernent handelt für einen Partner.")}
            )
        if self.partner_id is None and not self.is_staff:
            raise ValidationError(
                {"partner": _("Jede Person gehört zu einem Partner – außer der Geschäftsstelle.")}
            )

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    @property
    def is_department_head(self) -> bool:
        return self.role == self.Role.DEPARTMENT_HEAD and self.partner_id is not None
