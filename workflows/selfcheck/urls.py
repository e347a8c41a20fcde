from django.urls import path

from workflows.selfcheck import views

app_name = "selfcheck"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/close/", views.campaign_close_view, name="close"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report-xlsx"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/<str:action>/", views.item_act, name="item-act"),
]
