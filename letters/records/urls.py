"""Staff pages for a case's responsive records, under /work/cases/<number>/records/."""

from django.urls import path

from letters.records import views

app_name = "records"

P = "work/cases/<str:number>/records/"

urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "progress/", views.progress, name="progress"),
    path(P + "release/", views.release_build, name="release-build"),
    path(P + "sets/<int:sid>/", views.review, name="review"),
    path(P + "sets/<int:sid>/decide/", views.review_decide, name="review-decide"),
    path(P + "sets/<int:sid>/files/<int:fid>/", views.released_download, name="released"),
    path(
        P + "sets/<int:sid>/files/<int:fid>/pages/<int:page>.png",
        views.released_page_image,
        name="released-page",
    ),
    path(P + "<int:pk>/", views.record_detail, name="record"),
    path(P + "<int:pk>/original/", views.original, name="original"),
    path(P + "<int:pk>/pages/<int:page>.png", views.page_image, name="page"),
    path(P + "<int:pk>/redactions/", views.redaction_add, name="redaction-add"),
    path(
        P + "<int:pk>/redactions/<int:rid>/remove/", views.redaction_remove, name="redaction-remove"
    ),
    path(P + "<int:pk>/withhold/", views.page_withhold, name="withhold"),
    path(P + "<int:pk>/accept/", views.accept, name="accept"),
    path(P + "<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path(P + "<int:pk>/names/", views.names, name="names"),
    path(P + "<int:pk>/retry/", views.retry, name="retry"),
    path(P + "<int:pk>/remove/", views.remove, name="remove"),
]
