import factory
from allauth.account.models import EmailAddress

from initiatives.models import Area
from partners.models import AgreementParty, AgreementVersion, EmailDomain, Partner, User

TEST_PASSWORD = "richtig-langes-passwort-42"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Gemeinde Musterdorf {n}")
    slug = factory.Sequence(lambda n: f"musterdorf-{n}")
    kind = Partner.Kind.GEMEINDE
    # Niedersachsen (03), Regierungsbezirk 5, Kreis 51, then a Gemeinde number.
    official_key = factory.Sequence(lambda n: f"03551{n % 1000:03d}")
    website = factory.LazyAttribute(lambda partner: f"https://www.{partner.slug}.example")
    status = Partner.Status.MEMBER
    joined_on = factory.Faker("date_between", start_date="-4y", end_date="today")


class EmailDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailDomain

    partner = factory.SubFactory(PartnerFactory)
    domain = factory.LazyAttribute(lambda domain: f"{domain.partner.slug}.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="de_DE")
    job_title = "Sachbearbeitung Digitalisierung"
    partner = factory.SubFactory(PartnerFactory)
    role = User.Role.STAFF
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class DepartmentHeadFactory(UserFactory):
    role = User.Role.DEPARTMENT_HEAD
    job_title = "Dezernent für Digitalisierung"


class AdminFactory(UserFactory):
    partner = None
    is_staff = True
    is_superuser = True


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Arbeitsfeld {n}")
    slug = factory.Sequence(lambda n: f"arbeitsfeld-{n}")
    description = "Beschreibung des Arbeitsfelds."
    position = factory.Sequence(int)


class AgreementVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementVersion
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Kooperationsvereinbarung, Fassung {n}")
    text = (
        "## Präambel\n\nDie Partner arbeiten in den Feldern Basisdienste, Online-Dienste, "
        "Fachverfahren und Schnittstellen zusammen."
    )
    status = AgreementVersion.Status.DRAFT

    @factory.post_generation
    def parties(version, create, extracted, **kwargs):
        if create and extracted:
            for partner in extracted:
                AgreementParty.objects.create(version=version, partner=partner)
