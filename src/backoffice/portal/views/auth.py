"""Logging in to the portal. Employees and collaborators have no desk access
(``is_staff`` off), so the desk's login page refuses them: the portal has its
own, with the same backends (django-axes lockout, e-mail as the user name)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("portal:home")  # type: ignore[assignment]
    extra_context = {"title": gettext_lazy("Log in"), "nav": None}


class PortalLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:login")  # type: ignore[assignment]


class PortalPasswordResetForm(PasswordResetForm):
    """Also for an invited person who never set a password (their invitation link
    expired): Django's form skips accounts without a usable password."""

    def get_users(self, email):  # type: ignore[no-untyped-def]
        from django.contrib.auth import get_user_model

        model = get_user_model()
        return model._default_manager.filter(email__iexact=email.strip(), is_active=True)


class PortalPasswordResetView(auth_views.PasswordResetView):
    """ "Forgot your password?": the e-mail links to :class:`PortalPasswordSetView`."""

    form_class = PortalPasswordResetForm
    template_name = "portal/registration/password_reset.html"
    email_template_name = "portal/registration/password_reset_email.txt"
    subject_template_name = "portal/registration/password_reset_subject.txt"
    success_url = reverse_lazy("portal:login")
    extra_context = {"title": gettext_lazy("Forgot your password?"), "nav": None}

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        messages.success(
            self.request,
            _("If the address belongs to an account, we have sent it a link to set a password."),
        )
        return super().form_valid(form)


class PortalPasswordSetView(auth_views.PasswordResetConfirmView):
    """The link of the invitation (``portal_account_create``) and of a reset:
    choose a password, then log in."""

    template_name = "portal/registration/password_set.html"
    success_url = reverse_lazy("portal:login")
    extra_context = {"title": gettext_lazy("Choose your password"), "nav": None}

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        messages.success(self.request, _("Your password is set. Log in with it."))
        return super().form_valid(form)


def password_set_url(request: HttpRequest | None, user) -> str:  # type: ignore[no-untyped-def]
    """The absolute or relative link for a set-password e-mail (for HR's invitation)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "portal:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path) if request is not None else path
