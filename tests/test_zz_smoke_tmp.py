import pytest, tablib
from stations.resources import StationImportResource
from stations.models import Station, HostUnit

@pytest.mark.django_db
def test_smoke(staff_user):
    ds = tablib.Dataset(headers=["设站单位名称","统一社会信用代码","驿站名称","类型","坐落地址","牌匾编号","认定日期","状态"])
    ds.append(["甲公司","91350211M0000XUF46","甲驿站","行业型","地址","榕高新人才驿站[2026]1号","2026/1/2",""])
    ds.append(["乙公司","abc","乙驿站","怪型","","", "2099-01-01","坏"])
    r = StationImportResource().import_data(ds, dry_run=True, user=staff_user, file_name="x.xlsx")
    print(r.base_errors, [e.error for e in r.base_errors])
    for row in r.invalid_rows: print(row.number, row.error_dict)
    for row in r.rows: print(row.import_type, row.diff)
    print(r.legacy_warnings)
    ds2 = tablib.Dataset(headers=ds.headers); ds2.append(ds[0])
    r = StationImportResource().import_data(ds2, dry_run=False, user=staff_user, file_name="x.xlsx")
    print(r.has_errors(), r.has_validation_errors(), [(s.plaque_number, s.status, s.host_unit.code_state) for s in Station.objects.all()])
