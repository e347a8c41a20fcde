from django.urls import path

from workflows import supervision

app_name = "supervision"

urlpatterns = [
    path("", supervision.dashboard, name="dashboard"),
    path("report/", supervision.annual_report, name="annual-report"),
]
