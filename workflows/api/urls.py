from django.urls import path

from drf_spectacular.views import SpectacularAPIView

from workflows.api import views
from workflows.api.transitions import transition_urls

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("cases/", views.CaseCreateView.as_view(), name="case-create"),
    path("cases/<str:number>/", views.CaseDetailView.as_view(), name="case-detail"),
    *transition_urls(),
    path(
        "cases/<str:number>/transitions/<str:name>/",
        views.CaseTransitionView.as_view(),
        name="case-transition",
    ),
]
