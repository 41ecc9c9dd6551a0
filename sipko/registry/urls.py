from django.urls import path

from sipko.registry import views

urlpatterns = [
    path("", views.home, name="home"),
]
