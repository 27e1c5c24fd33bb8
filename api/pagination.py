"""Pages of the API's lists: ``?page=`` and ``?page_size=`` (capped: a larger one is served at the cap)."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class CappedPagination(PageNumberPagination):
    page_size = settings.ACCORD_API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.ACCORD_API_MAX_PAGE_SIZE
