from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.core.enums import Role
from backoffice.core.models import Department, Membership, Position, User


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name", "parent", "manager"]

    def validate_unique(self):
        """Uniqueness per company is checked by the service (the form has no company)."""


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["code", "name", "department", "level"]

    def validate_unique(self):
        """Uniqueness per company is checked by the service (the form has no company)."""


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "role", "department"]

    def validate_unique(self):
        """A repeated grant re-activates the existing row (service)."""


class UserCreateForm(forms.ModelForm):
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput, required=True)
    roles = forms.MultipleChoiceField(
        label=_("roles in this company"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = ["email", "full_name"]

    def clean(self):
        """The password policy, as a form error (the service would refuse it anyway)."""
        from django.contrib.auth.password_validation import validate_password

        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean() returns cleaned_data
        password = cleaned.get("password")
        if password:
            probe = User(email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or "")
            try:
                validate_password(password, probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned
