from django.urls import path

from workflows import views

app_name = "workflows"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("intake/", views.intake, name="intake"),
    path("cases/<str:number>/act/<str:name>/", views.case_action, name="case-action"),
    path("cases/<str:number>/quick/<str:name>/", views.quick_action, name="quick-action"),
    path("cases/<str:number>/letters/", views.letter_issue_view, name="letter-issue"),
    path("letters/<int:pk>/void/", views.letter_void_view, name="letter-void"),
]
