"""Self-service portal under ``/portal/`` (namespace ``portal``)."""

from django.urls import path

from backoffice.portal.views import (
    attendance,
    auth,
    collaborator,
    documents,
    home,
    interviews,
    leave,
    payslips,
    profile,
    tasks,
    team,
)

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.PortalLoginView.as_view(), name="login"),
    path("logout/", auth.PortalLogoutView.as_view(), name="logout"),
    path("password/reset/", auth.PortalPasswordResetView.as_view(), name="password_reset"),
    path(
        "password/set/<uidb64>/<token>/",
        auth.PortalPasswordSetView.as_view(),
        name="password_set",
    ),
    path("profile/", profile.profile, name="profile"),
    path("profile/edit/", profile.profile_edit, name="profile_edit"),
    path("profile/reveal/<str:field>/", profile.profile_reveal, name="profile_reveal"),
    path("profile/contacts/add/", profile.contact_add, name="contact_add"),
    path(
        "profile/contacts/<uuid:public_id>/delete/", profile.contact_delete, name="contact_delete"
    ),
    path("leave/", leave.leave, name="leave"),
    path("leave/<uuid:public_id>/", leave.leave_detail, name="leave_detail"),
    path("leave/<uuid:public_id>/cancel/", leave.leave_cancel, name="leave_cancel"),
    path("attendance/", attendance.attendance, name="attendance"),
    path("attendance/check/", attendance.attendance_check, name="attendance_check"),
    path("interviews/", interviews.interviews, name="interviews"),
    path("interviews/<uuid:public_id>/", interviews.interview_detail, name="interview"),
    path("tasks/", tasks.tasks, name="tasks"),
    path("tasks/<uuid:public_id>/done/", tasks.task_complete, name="task_complete"),
    path("documents/", documents.documents, name="documents"),
    path(
        "documents/<uuid:public_id>/download/",
        documents.document_download,
        name="document_download",
    ),
    path("team/", team.team, name="team"),
    path("team/approvals/<uuid:public_id>/", team.team_decide, name="team_decide"),
    path("agreement/", collaborator.agreement, name="agreement"),
    path("worklogs/", collaborator.worklogs, name="worklogs"),
    path("worklogs/<uuid:public_id>/submit/", collaborator.worklog_submit, name="worklog_submit"),
    path("payslips/", payslips.payslips, name="payslips"),
    path("payslips/<uuid:public_id>/", payslips.payslip_detail, name="payslip_detail"),
    path("payslips/<uuid:public_id>/pdf/", payslips.payslip_pdf, name="payslip_pdf"),
    path("payments/", payslips.payments, name="payments"),
]
