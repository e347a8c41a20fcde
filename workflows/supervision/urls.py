from django.urls import path

from workflows.supervision import views as supervision

app_name = "supervision"

urlpatterns = [
    path("", supervision.dashboard, name="dashboard"),
    path("report/", supervision.annual_report, name="annual-report"),
]
