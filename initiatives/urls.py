from django.urls import path

from initiatives import exports, views

app_name = "initiatives"

urlpatterns = [
    path("initiativen/", views.InitiativeListView.as_view(), name="initiative_list"),
    path("initiativen/neu/", views.InitiativeCreateView.as_view(), name="initiative_create"),
    path(
        "initiativen/export.csv",
        exports.InitiativeCsvExportView.as_view(),
        name="initiative_export_csv",
    ),
    path(
        "initiativen/export.json",
        exports.InitiativeJsonExportView.as_view(),
        name="initiative_export_json",
    ),
    path("initiativen/<int:pk>/", views.InitiativeDetailView.as_view(), name="initiative_detail"),
    path(
        "initiativen/<int:pk>/bearbeiten/",
        views.InitiativeUpdateView.as_view(),
        name="initiative_update",
    ),
    path(
        "initiativen/<int:pk>/zurueckziehen/",
        views.InitiativeWithdrawView.as_view(),
        name="initiative_withdraw",
    ),
    path(
        "initiativen/<int:pk>/status/",
        views.InitiativeStatusView.as_view(),
        name="initiative_status",
    ),
    path(
        "initiativen/<int:pk>/beteiligung/",
        views.ParticipationView.as_view(),
        name="participation",
    ),
    path("initiativen/<int:pk>/folgen/", views.FollowView.as_view(), name="follow"),
    path(
        "initiativen/<int:pk>/kommentare/",
        views.CommentCreateView.as_view(),
        name="comment_create",
    ),
    path("kommentare/<int:pk>/", views.CommentLinkView.as_view(), name="comment_link"),
    path(
        "kommentare/<int:pk>/bearbeiten/",
        views.CommentUpdateView.as_view(),
        name="comment_update",
    ),
    path(
        "kommentare/<int:pk>/loeschen/",
        views.CommentDeleteView.as_view(),
        name="comment_delete",
    ),
    path("gemeinsamkeiten/", views.CommonGroundView.as_view(), name="common_ground"),
    path("gemeinsamkeiten/loesungen/", views.SolutionListView.as_view(), name="solution_list"),
    path(
        "gemeinsamkeiten/loesungen/<int:pk>/bearbeiten/",
        views.SolutionUpdateView.as_view(),
        name="solution_update",
    ),
    path(
        "gemeinsamkeiten/loesungen/<int:pk>/loeschen/",
        views.SolutionDeleteView.as_view(),
        name="solution_delete",
    ),
]
