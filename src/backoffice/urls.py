from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from backoffice.api import api, api_not_found

urlpatterns = [
    path("", RedirectView.as_view(url="/desk/", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("backoffice.core.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("desk/files/", include("backoffice.records.urls")),
    path("desk/accounting/", include("backoffice.accounting.urls")),
    path("desk/hr/", include("backoffice.hr.urls")),
    path("desk/payroll/", include("backoffice.payroll.urls")),
    path("payroll/", include("backoffice.payroll.public_urls")),
    path("desk/recruitment/", include("backoffice.recruitment.urls")),
    path("careers/", include("backoffice.recruitment.public_urls")),
    path("portal/", include("backoffice.portal.urls")),
    path("desk/", admin.site.urls),
]
