from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("partner/", views.PartnerListView.as_view(), name="partner_list"),
    path("partner/<slug:slug>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("beitritt/", views.ApplicationCreateView.as_view(), name="application_create"),
    path(
        "beitritt/eingegangen/",
        views.ApplicationSubmittedView.as_view(),
        name="application_submitted",
    ),
    path("beitritt/antraege/", views.ApplicationListView.as_view(), name="application_list"),
    path(
        "beitritt/antraege/<int:pk>/",
        views.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "beitritt/antraege/<int:pk>/abstimmen/",
        views.ApplicationVoteView.as_view(),
        name="application_vote",
    ),
    path(
        "beitritt/bestaetigen/<str:token>/",
        views.ApplicationConfirmView.as_view(),
        name="application_confirm",
    ),
    path(
        "beitritt/zurueckziehen/<str:token>/",
        views.ApplicationWithdrawView.as_view(),
        name="application_withdraw",
    ),
    path("vereinbarung/", views.AgreementView.as_view(), name="agreement"),
    path(
        "vereinbarung/<int:pk>/",
        views.AgreementVersionView.as_view(),
        name="agreement_version",
    ),
    path(
        "vereinbarung/<int:pk>/unterzeichnung/",
        views.AgreementSendForSignatureView.as_view(),
        name="agreement_send_for_signature",
    ),
    path(
        "vereinbarung/<int:pk>/unterschrift/",
        views.AgreementSignView.as_view(),
        name="agreement_sign",
    ),
]
