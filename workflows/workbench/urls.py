from django.urls import include, path

from workflows.workbench import bulk_views, cases, views

app_name = "workflows"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("intake/", views.intake, name="intake"),
    path("cases/<str:number>/act/<str:name>/", views.case_action, name="case-action"),
    path("cases/<str:number>/quick/<str:name>/", views.quick_action, name="quick-action"),
    path("cases/<str:number>/letters/", views.letter_issue_view, name="letter-issue"),
    path("letters/<int:pk>/void/", views.letter_void_view, name="letter-void"),
    path("library/", include("workflows.library.urls")),  # the case library (issue 25)
    path("selfcheck/", include("workflows.selfcheck.urls")),  # self-check campaigns (issue 26)
    path("", include("workflows.decide.urls")),  # 已办, 审批单, the draft beside a decision
]

# The case pages keep their own namespace and /cases/ prefix (bookmarked by officers).
case_patterns = (
    [
        path("", cases.case_list, name="case-list"),
        path("views/save/", bulk_views.saved_view_save, name="saved-view-save"),
        path("views/delete/", bulk_views.saved_view_remove, name="saved-view-delete"),
        path("bulk/", bulk_views.case_bulk, name="case-bulk"),
        path("bulk/<str:token>/", bulk_views.case_bulk_result, name="case-bulk-result"),
        path("<str:number>/", cases.case_detail, name="case-detail"),
        path("<str:number>/notes/", cases.case_note_add_view, name="case-note-add"),
        path("<str:number>/id-number/", cases.id_number_reveal, name="id-number-reveal"),
        path(
            "<str:number>/casefile-full-id/",
            cases.casefile_with_id_numbers,
            name="casefile-full-id",
        ),
        path("<str:number>/attachments/<int:pk>/", cases.attachment_download, name="attachment"),
    ],
    "casework",
)
