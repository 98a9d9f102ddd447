from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from backoffice.api import api

urlpatterns = [
    path("", RedirectView.as_view(url="/desk/", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("backoffice.core.urls")),
    path("api/v1/", api.urls),
    path("desk/", admin.site.urls),
]
