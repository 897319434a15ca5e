from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("", views.ImportRunsView.as_view(), name="runs"),
    path("<uuid:run_id>/rejects/", views.RejectsDownloadView.as_view(), name="rejects"),
]
