from django.urls import path

from positions import exports, views

app_name = "positions"

urlpatterns = [
    path("positionen/", views.PositionListView.as_view(), name="position_list"),
    path("positionen/neu/", views.PositionCreateView.as_view(), name="position_create"),
    path("positionen/export.csv", exports.PositionCsvExportView.as_view(), name="export_csv"),
    path("positionen/export.json", exports.PositionJsonExportView.as_view(), name="export_json"),
    path("positionen/<int:pk>/", views.PositionDetailView.as_view(), name="position_detail"),
    path(
        "positionen/<int:pk>/bearbeiten/",
        views.PositionUpdateView.as_view(),
        name="position_update",
    ),
    path("positionen/<int:pk>/fassungen/", views.VersionsView.as_view(), name="versions"),
    path("positionen/<int:pk>/schreiben.pdf", views.LetterView.as_view(), name="letter"),
    path("positionen/<int:pk>/mitzeichnung/", views.OpenView.as_view(), name="open"),
    path("positionen/<int:pk>/entscheidung/", views.DecideView.as_view(), name="decide"),
    path("positionen/<int:pk>/versand/", views.SendView.as_view(), name="send"),
    path("positionen/<int:pk>/antwort/", views.AnswerView.as_view(), name="answer"),
    path("positionen/<int:pk>/veroeffentlichen/", views.PublishView.as_view(), name="publish"),
    path("positionen/<int:pk>/zurueckziehen/", views.WithdrawView.as_view(), name="withdraw"),
    path("positionen/<int:pk>/folgen/", views.FollowView.as_view(), name="follow"),
    path(
        "positionen/<int:pk>/kommentare/", views.CommentCreateView.as_view(), name="comment_create"
    ),
    path("positionen/kommentare/<int:pk>/", views.CommentLinkView.as_view(), name="comment_link"),
    path(
        "positionen/kommentare/<int:pk>/bearbeiten/",
        views.CommentUpdateView.as_view(),
        name="comment_update",
    ),
    path(
        "positionen/kommentare/<int:pk>/loeschen/",
        views.CommentDeleteView.as_view(),
        name="comment_delete",
    ),
]
