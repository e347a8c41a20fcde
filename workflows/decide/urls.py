from django.urls import path

from workflows.decide import views

# Included under the workbench's namespace (workflows:), /work/…
urlpatterns = [
    path("done/", views.done_list, name="done"),
    path("phrases/", views.phrases_page, name="phrases"),
    path(
        "cases/<str:number>/decision-draft.pdf",
        views.decision_preview,
        name="decision-preview",
    ),
    path(
        "cases/<str:number>/decision-draft.png",
        views.decision_preview_image,
        name="decision-preview-image",
    ),
    path("cases/<str:number>/approval-sheet.pdf", views.approval_sheet, name="approval-sheet"),
]
