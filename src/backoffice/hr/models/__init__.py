"""HR models, one module per area; import them from here."""

from backoffice.hr.models.attendance import AttendanceRecord, WorkSchedule
from backoffice.hr.models.contracts import Contract, ContractTemplate
from backoffice.hr.models.leave import HolidayOverride, LeaveEntry, LeaveRequest, LeaveType
from backoffice.hr.models.onboarding import (
    CaseTask,
    ChecklistTemplate,
    ChecklistTemplateItem,
    OnboardingCase,
    WorkLog,
)
from backoffice.hr.models.people import Dependant, Education, EmergencyContact, Employee, JobChange

__all__ = [
    "AttendanceRecord",
    "CaseTask",
    "ChecklistTemplate",
    "ChecklistTemplateItem",
    "Contract",
    "ContractTemplate",
    "Dependant",
    "Education",
    "EmergencyContact",
    "Employee",
    "HolidayOverride",
    "JobChange",
    "LeaveEntry",
    "LeaveRequest",
    "LeaveType",
    "OnboardingCase",
    "WorkLog",
    "WorkSchedule",
]
