from django.urls import path

from workflows.catalogue import public

app_name = "catalogue"

urlpatterns = [
    path("catalogue/", public.catalogue_list, name="list"),
    path("catalogue/match/", public.catalogue_match, name="match"),
    path("catalogue/<int:pk>/", public.catalogue_item, name="item"),
    path("catalogue/<int:pk>/files/<int:file_pk>/", public.catalogue_file, name="file"),
    path("guide/versions/<int:number>/", public.guide_version, name="guide-version"),
]
