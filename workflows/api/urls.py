from django.urls import path

from drf_spectacular.views import SpectacularAPIView

from workflows.api import views
from workflows.api.letters import CaseLetterView
from workflows.api.transitions import transition_urls

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("cases/", views.CaseListCreateView.as_view(), name="case-list"),
    path("cases/<str:number>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("tasks/", views.TaskListView.as_view(), name="task-list"),
    path("letters/<int:pk>/pdf/", views.LetterPdfView.as_view(), name="letter-pdf"),
    path("cases/<str:number>/letters/<str:kind>/", CaseLetterView.as_view(), name="case-letter"),
    *transition_urls(),
    path(
        "cases/<str:number>/transitions/<str:name>/",
        views.CaseTransitionView.as_view(),
        name="case-transition",
    ),
]
