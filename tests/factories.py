import factory
from allauth.account.models import EmailAddress

from initiatives import services as initiative_services
from initiatives.models import Area, Comment, Initiative, Participation, Solution
from partners import services as partner_services
from partners.models import AgreementParty, AgreementVersion, EmailDomain, Partner, User
from positions import services as position_services
from positions.models import Addressee

TEST_PASSWORD = "richtig-langes-passwort-42"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Gemeinde Musterdorf {n}")
    slug = factory.Sequence(lambda n: f"musterdorf-{n}")
    kind = Partner.Kind.GEMEINDE
    # An AGS in Landkreis Peine (03157), Niedersachsen: a Gemeinde number from 001 to 999.
    official_key = factory.Sequence(lambda n: f"03157{n % 999 + 1:03d}")
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
        if create and extracted is not False:
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


class InitiativeFactory(factory.django.DjangoModelFactory):
    """A proposal as the database holds it; use the services to walk it through the workflow."""

    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Digitaler Antrag Nummer {n}")
    summary = "Ein gemeinsamer Online-Dienst für alle Partner."
    description = "## Ziel\n\nAnträge **online** stellen, ohne Medienbruch."
    area = factory.SubFactory(AreaFactory)
    proposer = factory.SubFactory(UserFactory)
    lead_partner = factory.SelfAttribute("proposer.partner")
    status = Initiative.Status.PROPOSED


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    initiative = factory.SubFactory(InitiativeFactory)
    partner = factory.SubFactory(PartnerFactory)
    stage = Participation.Stage.INTERESTED


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    initiative = factory.SubFactory(InitiativeFactory)
    author = factory.SubFactory(UserFactory)
    partner = factory.SelfAttribute("author.partner")
    body = "Wir sind dabei."


class SolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Solution

    partner = factory.SubFactory(PartnerFactory)
    area = factory.SubFactory(AreaFactory)
    product = factory.Sequence(lambda n: f"Produkt {n}")
    product_key = factory.LazyAttribute(lambda solution: solution.product.casefold())
    vendor = "Beispiel GmbH"


def propose(proposer, area=None, **changes):
    """An initiative proposed through the service, with defaults for what a test leaves out."""
    data = {
        "title": "Digitaler Wohngeldantrag",
        "summary": "Wohngeld online beantragen.",
        "description": "Gemeinsam mit allen Partnern.",
        **changes,
    }
    return initiative_services.initiative_propose(
        proposer=proposer, area=area or AreaFactory(), **data
    )


def application_data(**overrides):
    """What `application_submit` takes, for a municipality applying to join."""
    return {
        "name": "Stadt Wolfenbüttel",
        "kind": Partner.Kind.GROSSE_KREISANGEHOERIGE_STADT,
        "official_key": "03158037",
        "website": "https://www.wolfenbuettel.de",
        "email_domains": "wolfenbuettel.example",
        "contact_name": "Maria Neumann",
        "contact_email": "maria.neumann@wolfenbuettel.example",
        "motivation": "Wir möchten Basisdienste gemeinsam nutzen.",
        **overrides,
    }


def confirmed_application(**overrides):
    """An application as the partners see it: submitted and its address confirmed."""
    application = partner_services.application_submit(**application_data(**overrides))
    return partner_services.application_confirm(application=application)


class AddresseeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Addressee

    name = factory.Sequence(lambda n: f"Ministerium für Digitales {n}")
    kind = Addressee.Kind.LAND
    postal_address = "Referat 12\nPostfach 1234\n30001 Hannover"
    email = factory.Sequence(lambda n: f"referat{n}@ministerium.example")


def draft_position(proposer, addressees=None, **changes):
    """A position drafted through the service, with defaults for what a test leaves out."""
    data = {
        "title": "Stellungnahme zum Entwurf des Digitalgesetzes",
        "occasion": "Anhörung des Landes, Frist 15.01.",
        "text": "## Zusammenfassung\n\nDie Partner begrüßen den Entwurf **grundsätzlich**.",
        **changes,
    }
    return position_services.position_propose(
        proposer=proposer, addressees=addressees or [AddresseeFactory()], **data
    )
