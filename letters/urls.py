from django.urls import path

from letters import views

app_name = "letters"

urlpatterns = [
    path("<int:pk>/pdf/", views.letter_pdf, name="letter-pdf"),
    path("casefile/<str:number>/", views.casefile_pdf, name="casefile"),
]
