from django.urls import path, re_path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/me/", views.directory_me, name="directory_me"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_request, name="meeting_request"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/answer/", views.meeting_answer, name="meeting_answer"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/scan/", views.contact_scan, name="contact_scan"),
    path("contacts/exchange/", views.contact_exchange, name="contact_exchange"),
    re_path(r"^contacts/contacts\.(?P<fmt>vcf|csv)$", views.contacts_export, name="contacts_export"),
    path("meetings/<int:pk>/follow-up/", views.follow_up_record, name="follow_up"),
    path("report/", views.outcome_report, name="report"),
    path("report/outcome.pdf", views.outcome_report_pdf, name="report_pdf"),
    path("report/outcome.xlsx", views.outcome_report_xlsx, name="report_xlsx"),
    path("grid/", views.meeting_grid, name="grid"),
    re_path(r"^grid/(?P<day>\d{4}-\d{2}-\d{2})/$", views.meeting_grid, name="grid_day"),
]
