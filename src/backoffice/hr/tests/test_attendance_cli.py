"""``backoffice hr import-attendance | attendance-summary | overtime-report``."""

import json

import pytest
from click.testing import CliRunner

from backoffice.cli import main
from backoffice.hr.models import AttendanceRecord
from backoffice.hr.services import attendance as svc


@pytest.mark.django_db
def test_cli_import_summary_and_report(hr_org, tmp_path):
    svc.work_schedule_defaults_create(company=hr_org.company)
    code = hr_org.staff_emp.code
    bad = tmp_path / "bad.csv"
    bad.write_text("employee_code,date,check_in,check_out\n"
                   f"{code},2026-11-23,08:00,20:00\nNV99999,2026-11-23,08:00,17:00\n")  # fmt: skip
    result = CliRunner().invoke(main, ["hr", "import-attendance", str(bad), "--company", "ACO"])
    assert result.exit_code == 1
    assert "row 3:" in result.output
    assert "NV99999" in result.output
    assert not AttendanceRecord.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text("employee_code,date,check_in,check_out\n"
                    f"{code},2026-11-23,08:00,20:00\n{code},22/11/2026,08:00,12:00\n")  # fmt: skip
    result = CliRunner().invoke(main, ["hr", "import-attendance", str(good), "--company", "ACO"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 day(s)" in result.output
    result = CliRunner().invoke(main, ["hr", "attendance-summary", "--company", "ACO",
                                       "--employee", code, "--month", "2026-11"])  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["overtime"]["weekday"] == "3.00"
    assert summary["overtime"]["rest_day"] == "4.00"
    result = CliRunner().invoke(main, ["hr", "overtime-report", "--company", "ACO",
                                       "--month", "2026-11", "--format", "csv"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith(f"{code},Nguyễn Thị Lan,")
    result = CliRunner().invoke(main, ["hr", "import-attendance", str(good), "--company", "NOPE"])
    assert result.exit_code == 2
