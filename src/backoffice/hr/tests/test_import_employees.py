"""Import (XLSX/CSV, all or nothing, row-numbered errors), export (masked), CLI."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from click.testing import CliRunner

from backoffice.core.exceptions import PermissionDenied, ValidationFailed
from backoffice.hr.models import Employee, JobChange
from backoffice.hr.services.employees_import import employees_export, employees_import

HEADER = "code,full_name,hire_date,department,position,manager,national_id,tax_code,salary"


def _csv(*rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _xlsx(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_csv_import_creates_people_history_and_reporting_lines(hr_org):
    data = _csv(
        "N1,Lê Văn Một,01/03/2026,KD,NVKD,N2,001090000001,8567890126,15.000.000",
        "N2,Phạm Thị Hai,2026-03-01,KD,,,,,",
    )
    result = employees_import(actor=hr_org.hr_officer, company=hr_org.company, data=data,
                              filename="people.csv")  # fmt: skip
    assert result == {"created": 2, "codes": ["N1", "N2"]}
    one = Employee.objects.get(code="N1")
    assert one.hire_date == dt.date(2026, 3, 1)
    assert one.manager.code == "N2"
    assert one.position == hr_org.dev
    assert one.national_id == "001090000001"
    assert JobChange.objects.get(employee=one).salary == Decimal(15_000_000)


@pytest.mark.django_db
def test_any_bad_row_imports_nothing_and_names_every_row(hr_org):
    before = Employee.objects.count()
    data = _csv(
        "N1,Đúng,01/03/2026,KD,,,,,",
        "N2,,01/03/2026,,,,,,",  # row 3: no name
        "N3,Sai ngày,31/02/2026,,,,,,",  # row 4
        "N4,Sai phòng,01/03/2026,XX,,,,,",  # row 5
        "N5,Sai MST,01/03/2026,,,,,8012345678,",  # row 6
        "N1,Trùng mã,01/03/2026,,,,,,",  # row 7: duplicate code
        "N7,Trùng CCCD,01/03/2026,,,,001090000001,,",  # row 8
        "N8,Trùng CCCD 2,01/03/2026,,,,001090000001,,",  # row 9
        "N9,Sếp lạ,01/03/2026,,,ZZ,,,",  # row 10 (manager: checked once rows are valid)
    )
    with pytest.raises(ValidationFailed) as err:
        employees_import(actor=hr_org.hr_officer, company=hr_org.company, data=data,
                         filename="people.csv")  # fmt: skip
    rows = [e["row"] for e in err.value.extra["errors"]]
    assert rows == [3, 4, 5, 6, 7, 9]
    assert err.value.code == "import_failed"
    assert Employee.objects.count() == before


@pytest.mark.django_db
def test_unknown_manager_is_reported(hr_org):
    with pytest.raises(ValidationFailed) as err:
        employees_import(
            actor=hr_org.hr_officer,
            company=hr_org.company,
            data=_csv("N9,Sếp lạ,01/03/2026,,,ZZ,,,"),
            filename="p.csv",
        )
    assert err.value.extra["errors"] == [
        {"row": 2, "message": err.value.extra["errors"][0]["message"]}]  # fmt: skip
    assert "ZZ" in err.value.extra["errors"][0]["message"]
    assert not Employee.objects.filter(code="N9").exists()


@pytest.mark.django_db
def test_xlsx_import_and_header_checks(hr_org):
    data = _xlsx([["full_name", "hire_date", "current_province"],
                  ["Ngô Thị Ba", dt.datetime(2026, 4, 1), "Hà Nội"]])  # fmt: skip
    employees_import(actor=hr_org.hr_officer, company=hr_org.company, data=data,
                     filename="p.xlsx")  # fmt: skip
    assert Employee.objects.get(full_name="Ngô Thị Ba").current_province == "01"
    with pytest.raises(ValidationFailed) as err:
        employees_import(actor=hr_org.hr_officer, company=hr_org.company,
                         data=b"name,hire_date,salaryx\n", filename="p.csv")  # fmt: skip
    assert err.value.code == "bad_header"
    assert err.value.extra["errors"][0]["row"] == 1
    with pytest.raises(ValidationFailed) as err:
        employees_import(actor=hr_org.hr_officer, company=hr_org.company, data=b"x",
                         filename="p.pdf")  # fmt: skip
    assert err.value.code == "bad_file_type"
    with pytest.raises(ValidationFailed):
        employees_import(actor=hr_org.hr_officer, company=hr_org.company, data=b"PK\x03",
                         filename="p.xlsx")  # fmt: skip
    with pytest.raises(PermissionDenied):
        employees_import(actor=hr_org.payroll, company=hr_org.company, data=_csv(),
                         filename="p.csv")  # fmt: skip


@pytest.mark.django_db
def test_export_masks(hr_org):
    from backoffice.hr.selectors.employees import employee_row

    rows = [employee_row(e) for e in Employee.objects.filter(company=hr_org.company)]
    content, ctype, ext = employees_export(rows=rows, fmt="csv")
    text = content.decode("utf-8-sig")
    assert ext == "csv"
    assert "•••••••••234" in text
    assert "079203001234" not in text
    content, ctype, ext = employees_export(rows=rows, fmt="xlsx")
    assert ext == "xlsx"
    assert content[:2] == b"PK"


@pytest.mark.django_db
def test_cli_import_export_headcount(hr_org, tmp_path):
    from backoffice.cli import main

    good = tmp_path / "people.csv"
    good.write_bytes(_csv("N1,Lê Văn Một,01/03/2025,KD,,,,,"))
    runner = CliRunner()
    result = runner.invoke(main, ["hr", "import-employees", str(good), "--company", "ACO"])
    assert result.exit_code == 0, result.output
    assert Employee.objects.filter(code="N1", company=hr_org.company).exists()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("N2,,01/03/2025,,,,,,"))
    result = runner.invoke(main, ["hr", "import-employees", str(bad), "--company", "ACO"])
    assert result.exit_code == 1
    assert "row 2:" in result.output
    out = tmp_path / "out.csv"
    result = runner.invoke(main, ["hr", "export-employees", "--company", "ACO", "--output",
                                  str(out)])  # fmt: skip
    assert result.exit_code == 0
    assert "079203001234" not in out.read_text(encoding="utf-8-sig")
    result = runner.invoke(main, ["hr", "headcount", "--company", "ACO", "--on", "2026-01-01",
                                  "--format", "json"])  # fmt: skip
    assert result.exit_code == 0
    assert '"count": 4' in result.output
    result = runner.invoke(main, ["hr", "headcount", "--company", "NOPE"])
    assert result.exit_code == 2
