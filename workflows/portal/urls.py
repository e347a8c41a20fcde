from django.urls import path

from workflows.portal import views

app_name = "portal"

urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply-done"),
    path("track/", views.track, name="track"),
    path("track/forgot/", views.track_forgot, name="track-forgot"),
    path("track/<str:number>/", views.track_case, name="track-case"),
    path("track/<str:number>/letters/<int:pk>/", views.track_letter, name="track-letter"),
    path("track/<str:number>/released/<int:pk>/", views.track_released, name="track-released"),
    path("track/<str:number>/withdraw/", views.track_withdraw, name="track-withdraw"),
    path("track/<str:number>/correction/", views.track_correction, name="track-correction"),
    path("verify/", views.verify, name="verify"),
]
