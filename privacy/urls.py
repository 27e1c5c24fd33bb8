from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("my-data.json", views.my_data_json, name="my_data_json"),
    path("deletion/", views.deletion_request, name="deletion_request"),
    path("notice/", views.notice, name="notice"),
]
