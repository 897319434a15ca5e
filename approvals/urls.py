from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.ApprovalsIndexView.as_view(), name="index"),
    path("mine/", views.MySubmissionsView.as_view(), name="mine"),
    path("<uuid:change_id>/", views.ApprovalDetailView.as_view(), name="detail"),
    path(
        "<uuid:change_id>/approve/",
        views.ApprovalDecisionView.as_view(decision="approve"),
        name="approve",
    ),
    path(
        "<uuid:change_id>/decline/",
        views.ApprovalDecisionView.as_view(decision="decline"),
        name="decline",
    ),
]
