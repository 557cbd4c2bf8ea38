from django.urls import path

from . import views_staff as views

app_name = "staff_applications"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("agencies/<int:agency_id>/register/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/events/<str:kind>/", views.record, name="record"),
    path("<int:pk>/take-over/", views.take_over, name="take_over"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
