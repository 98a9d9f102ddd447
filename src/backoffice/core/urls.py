from django.urls import path

from backoffice.core import views

app_name = "core"

urlpatterns = [
    path("2fa/setup/", views.mfa_setup, name="mfa_setup"),
    path("2fa/verify/", views.mfa_verify, name="mfa_verify"),
    path("company/switch/", views.switch_company, name="switch_company"),
    path("jobs/<uuid:public_id>/progress/", views.job_progress, name="job_progress"),
]
