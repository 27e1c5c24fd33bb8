"""Visa letter downloads: the participant's own, and any participant's for staff at the desk.

No app_name: conference/urls.py includes these patterns in the "registration" namespace, where their names (and
paths) have been since before logistics became its own app.
"""

from django.urls import path

from . import views as letter_views
from . import views_stay, views_travel

urlpatterns = [
    path("register/visa-letter/", letter_views.register_visa_letter, name="register_visa_letter"),
    path("desk/p/<str:public_id>/visa-letter/", letter_views.desk_visa_letter, name="desk_visa_letter"),
    path("logistics/travel/", views_travel.own_travel, name="logistics_own_travel"),
    path("delegation/<slug:code>/members/<str:public_id>/travel/", views_travel.member_travel,
         name="logistics_member_travel"),
    path("logistics/manifest/", views_travel.manifest_page, name="logistics_manifest"),
    path("logistics/import/", views_travel.itineraries_import, name="logistics_import"),
    path("logistics/runs/", views_travel.runs_page, name="logistics_runs"),
    path("logistics/airport/<int:run_id>/", views_travel.airport_run, name="logistics_airport_run"),
    path("logistics/airport/<int:run_id>/counts.json", views_travel.airport_run_counts,
         name="logistics_airport_run_counts"),
    # The stored travel PDFs and the airport page's move and delay forms (travelpages).
    path("logistics/manifest/<str:direction>/<str:language>.pdf", views_travel.manifest_pdf,
         name="logistics_manifest_pdf"),
    path("logistics/airport/<int:run_id>/driver-sheet/<str:language>.pdf", views_travel.driver_sheet_pdf,
         name="logistics_driver_sheet_pdf"),
    path("logistics/airport/<int:run_id>/move/", views_travel.airport_move, name="logistics_airport_move"),
    path("logistics/airport/<int:run_id>/delay/", views_travel.airport_delay, name="logistics_airport_delay"),
    path("logistics/dashboard/", views_stay.dashboard, name="logistics_dashboard"),
    path("logistics/meals/", views_stay.meals, name="logistics_meals"),
    path("logistics/meals.csv", views_stay.meals_csv, name="logistics_meals_csv"),
    path("logistics/needs/", views_stay.needs, name="logistics_needs"),
    # The logistics team's stay pages and the bank details form (staypages).
    path("logistics/hotels/", views_stay.hotels_page, name="logistics_hotels"),
    path("logistics/hotels/<int:hotel_id>/bookings/", views_stay.hotel_bookings, name="logistics_hotel_bookings"),
    path("logistics/hotels/<int:hotel_id>/bookings/<int:booking_id>/cancel/", views_stay.booking_cancel,
         name="logistics_booking_cancel"),
    path("logistics/hotels/<int:hotel_id>/rooming-lists/", views_stay.rooming_lists_page,
         name="logistics_rooming_lists"),
    path("logistics/hotels/<int:hotel_id>/rooming-lists/<int:send_id>.<str:file_format>",
         views_stay.rooming_list_download, name="logistics_rooming_list_download"),
    path("logistics/allowances/", views_stay.allowances_page, name="logistics_allowances"),
    path("logistics/allowances/<int:allowance_id>/", views_stay.allowance_edit, name="logistics_allowance_edit"),
    path("logistics/payment-sheets/", views_stay.payment_sheets_page, name="logistics_payment_sheets"),
    path("logistics/payment-sheets/<str:name>", views_stay.payment_sheet_download,
         name="logistics_payment_sheet_download"),
    path("logistics/bank-details/", views_stay.own_bank_details, name="logistics_own_bank_details"),
    path("delegation/<slug:code>/members/<str:public_id>/bank-details/", views_stay.member_bank_details,
         name="logistics_member_bank_details"),
]
