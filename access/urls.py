from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("client/<uuid:pk>/", views.client_limited, name="client_limited"),
]
