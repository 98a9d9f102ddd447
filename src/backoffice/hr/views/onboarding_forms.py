"""Forms of the onboarding desk pages (hire wizard, collaborator start, offboarding)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backoffice.core.models import Department, Position
from backoffice.hr.enums import ContractType, Gender, JobLevel, RateUnit
from backoffice.hr.models import Employee

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _CompanyForm(forms.Form):
    def __init__(self, *args: Any, company: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "department" in self.fields:
            self.fields["department"].queryset = Department.objects.filter(company=company)
        if "position" in self.fields:
            self.fields["position"].queryset = Position.objects.filter(company=company)
        if "manager" in self.fields:
            self.fields["manager"].queryset = Employee.objects.filter(
                company=company, status__in=["onboarding", "active"], kind="employee"
            )


class PersonForm(_CompanyForm):
    full_name = forms.CharField(label=_("full name"), max_length=200)
    code = forms.CharField(
        label=_("employee code"), max_length=32, required=False,
        help_text=_("Empty: the next free code."),
    )  # fmt: skip
    email = forms.EmailField(label=_("e-mail"), required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    date_of_birth = forms.DateField(label=_("date of birth"), required=False, widget=DATE)
    gender = forms.ChoiceField(label=_("gender"), required=False,
                               choices=[("", "—"), *Gender.choices])  # fmt: skip
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.none(),
                                        required=False)  # fmt: skip
    position = forms.ModelChoiceField(label=_("position"), queryset=Position.objects.none(),
                                      required=False)  # fmt: skip
    portal_account = forms.BooleanField(
        label=_("open a self-service account (an e-mail invites the person)"), required=False,
        initial=True,
    )  # fmt: skip

    PERSON = ["full_name", "code", "email", "phone", "date_of_birth", "gender", "department",
              "position"]  # fmt: skip

    def person_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in self.PERSON if data.get(k) not in (None, "")}


class HireForm(PersonForm):
    manager = forms.ModelChoiceField(label=_("reports to"), queryset=Employee.objects.none(),
                                     required=False)  # fmt: skip
    start_date = forms.DateField(label=_("start date"), widget=DATE)
    contract_type = forms.ChoiceField(
        label=_("contract (draft)"), required=False,
        choices=[("", _("no contract now")),
                 *[c for c in ContractType.choices if c[0] != ContractType.SERVICE]],
    )  # fmt: skip
    contract_end = forms.DateField(label=_("contract end date"), required=False, widget=DATE)
    job_level = forms.ChoiceField(label=_("job level"), choices=JobLevel.choices,
                                  initial=JobLevel.COLLEGE)  # fmt: skip
    salary = forms.DecimalField(label=_("monthly salary (probation: the probation pay)"),
                                required=False, decimal_places=0, min_value=0)  # fmt: skip
    job_salary = forms.DecimalField(label=_("wage of the job (probation only)"), required=False,
                                    decimal_places=0, min_value=0)  # fmt: skip

    PERSON = [*PersonForm.PERSON, "manager"]

    def contract_terms(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("contract_type"):
            return None
        terms = {"contract_type": data["contract_type"], "job_level": data["job_level"],
                 "end_date": data.get("contract_end"), "salary": data.get("salary"),
                 "job_salary": data.get("job_salary")}  # fmt: skip
        return {k: v for k, v in terms.items() if v is not None}


class CollaboratorForm(PersonForm):
    scope = forms.CharField(label=_("scope of work"), widget=forms.Textarea(attrs={"rows": 3}))
    rate = forms.DecimalField(label=pgettext_lazy("pay", "rate"), decimal_places=0, min_value=1)
    rate_unit = forms.ChoiceField(label=_("rate unit"), choices=RateUnit.choices)
    start_date = forms.DateField(label=_("agreement from"), widget=DATE)
    end_date = forms.DateField(label=_("agreement until"), widget=DATE)

    def agreement(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("scope", "rate", "rate_unit", "start_date",
                                                   "end_date")}  # fmt: skip


class OffboardingForm(forms.Form):
    last_day = forms.DateField(label=_("last working day"), widget=DATE)
    reason = forms.CharField(label=_("reason for leaving"), max_length=300, required=False)
