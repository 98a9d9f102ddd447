"""Portal forms: input only; the rules live in the services they feed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_INPUTS, widget=DateInput(), **kwargs)


def _provinces() -> list[tuple[str, str]]:
    from backoffice.hr.services.employees_validation import province_choices

    return [("", "—"), *province_choices()]


class ProfileForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Personal e-mail"), required=False)
    current_address = forms.CharField(label=_("Current address"), max_length=300, required=False)
    current_province = forms.ChoiceField(label=_("Province / city"), required=False, choices=())
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    bank_account = forms.CharField(
        label=_("Bank account number"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to keep the current account."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["current_province"].choices = _provinces()  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not data.get("bank_account"):
            data.pop("bank_account", None)  # never shown in clear, so empty = unchanged
        return data


class ContactForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    relationship = forms.CharField(label=_("Relationship"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20)


class LeaveRequestForm(forms.Form):
    leave_type = forms.ChoiceField(label=_("Type of leave"), choices=())
    start_date = date_field(_("From"))
    end_date = date_field(_("To"))
    start_half = forms.BooleanField(label=_("First day: afternoon only"), required=False)
    end_half = forms.BooleanField(label=_("Last day: morning only"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, leave_types: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.types = {str(t.public_id): t for t in leave_types}
        self.fields["leave_type"].choices = [  # type: ignore[attr-defined]
            (key, t.name) for key, t in self.types.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day is before the first day."))
        key = data.get("leave_type")
        if key:
            data["leave_type"] = self.types[key]
        return data


class CommaDecimalField(forms.DecimalField):
    """Accepts 1,5 as well as 1.5 (Vietnamese writes a decimal comma)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".")
        return super().to_python(value)


class WorkLogForm(forms.Form):
    date = date_field(_("Date"))
    description = forms.CharField(label=_("Work done / deliverable"), max_length=300)
    hours = CommaDecimalField(
        label=_("Hours"), min_value=Decimal(0), max_value=Decimal(24), decimal_places=2,
        required=False,
    )  # fmt: skip
    quantity = CommaDecimalField(
        label=_("Quantity (days / deliverables)"), min_value=Decimal(0),
        max_value=Decimal(100000), decimal_places=2, required=False,
    )  # fmt: skip


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(label=_("Comment"), max_length=1000, required=False)
