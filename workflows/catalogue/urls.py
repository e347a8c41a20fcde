from django.urls import path

from workflows.catalogue import views

app_name = "catalogue-office"

urlpatterns = [
    path("", views.office_list, name="list"),
    path("new/", views.office_new, name="new"),
    path("guide/", views.guide_office, name="guide"),
    path("from-case/<str:number>/", views.from_case, name="from-case"),
    path("<int:pk>/", views.office_item, name="item"),
    path("<int:pk>/edit/", views.office_edit, name="edit"),
    path("<int:pk>/<str:action>/", views.office_act, name="act"),
]
