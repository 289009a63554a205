from partners.models.agreement import AdmissionRule, AgreementParty, AgreementVersion
from partners.models.joining import Application, ApplicationEvent, Vote
from partners.models.people import EmailDomain, Partner, PartnerQuerySet, User, UserManager

__all__ = [
    "AdmissionRule",
    "AgreementParty",
    "AgreementVersion",
    "Application",
    "ApplicationEvent",
    "EmailDomain",
    "Partner",
    "PartnerQuerySet",
    "User",
    "UserManager",
    "Vote",
]
