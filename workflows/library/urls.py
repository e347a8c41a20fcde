from django.urls import path

from workflows.library import views

app_name = "library"

urlpatterns = [path("popular/", views.popular_topics_view, name="popular-topics")]
