from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.HelpView.as_view(), name="help"),
    path("<slug:topic>/", views.HelpView.as_view(), name="help_topic"),
]
