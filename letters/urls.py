from django.urls import path

from letters import views

app_name = "letters"

urlpatterns = [
    path("wordings/", views.wording_review, name="wording-review"),
    path("<int:pk>/pdf/", views.letter_pdf, name="letter-pdf"),
    path("casefile/<str:number>/", views.casefile_pdf, name="casefile"),
    path("casefile/<str:number>/archived/", views.casefile_archived, name="casefile-archived"),
    path("<int:pk>/delivery/", views.letter_delivery, name="letter-delivery"),
    path("<int:pk>/service-proof/", views.letter_service_proof, name="letter-service-proof"),
    path("preview/<str:number>/<str:kind>/", views.letter_preview, name="letter-preview"),
]
