"""Records URLs, mounted under /desk/files/ (so the desk's two-factor rule applies)."""

from django.urls import path

from backoffice.records import views

app_name = "records"

urlpatterns = [
    path("documents/<uuid:public_id>/download/", views.document_download, name="document_download"),
]
