import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from portal.seeding import SEEDS_DIR, SeedError, load_seeds
from procedures.models import Agency, CalendarOverride, Field, FormTemplate, Procedure, RequiredDocument

CATALOG_FILES = ("agencies.json", "calendar.json", "procedures.json")


def quiet(line):
    pass


@pytest.fixture
def seeds_dir(tmp_path):
    """A writable copy of the real catalog seeds."""
    for name in CATALOG_FILES:
        shutil.copy(SEEDS_DIR / name, tmp_path / name)
    shutil.copytree(SEEDS_DIR / "forms", tmp_path / "forms")
    return tmp_path


def edit(seeds_dir, name, change):
    path = seeds_dir / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def snapshot() -> dict:
    return {
        "agencies": list(Agency.objects.order_by("code").values()),
        "fields": list(Field.objects.order_by("code").values()),
        "procedures": list(Procedure.objects.order_by("code").values()),
        "procedure_agencies": sorted(Procedure.agencies.through.objects.values_list("procedure_id", "agency_id")),
        "documents": list(RequiredDocument.objects.order_by("pk").values()),
        "calendar": list(CalendarOverride.objects.order_by("date").values()),
        "form_templates": list(FormTemplate.objects.order_by("pk").values()),
    }


@pytest.mark.django_db
def test_real_seeds_load_and_meet_the_catalog_brief():
    counts = load_seeds(demo=False, log=quiet)
    assert counts == {"agencies.json": Agency.objects.count(), "calendar.json": 4, "procedures.json": 54}
    assert Procedure.objects.count() >= 40
    assert Field.objects.count() >= 8
    assert set(Procedure.objects.values_list("gov_level", flat=True)) == {"province", "district", "commune"}
    assert set(Procedure.objects.values_list("online_level", flat=True)) == {2, 3, 4}
    assert Procedure.objects.filter(online_discount_percent__gt=0).exists()
    assert Agency.objects.filter(gov_level="district").count() >= 3
    assert Agency.objects.filter(gov_level="commune", parent__gov_level="district").count() >= 6
    assert Agency.objects.filter(gov_level="province", parent__code="000.00.00.H26").count() >= 9
    assert Procedure.objects.get(name="Cấp đổi giấy phép lái xe").agencies.get().name == "Công an tỉnh Hải Dương"
    for procedure in Procedure.objects.all():
        properties = procedure.form_schema["properties"]
        assert procedure.form_schema["required"], procedure.code
        assert all(prop["title"] for prop in properties.values()), procedure.code
    all_properties = [
        p for schema in Procedure.objects.values_list("form_schema", flat=True) for p in schema["properties"].values()
    ]
    assert any(p.get("format") == "date" for p in all_properties)
    assert any("enum" in p for p in all_properties)


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    first_counts = load_seeds(demo=False, log=quiet)
    before = snapshot()
    assert load_seeds(demo=False, log=quiet) == first_counts
    assert snapshot() == before


@pytest.mark.django_db
def test_reload_syncs_documents_and_values(seeds_dir):
    load_seeds(seeds_dir=seeds_dir, demo=False, log=quiet)
    birth = Procedure.objects.get(code="1.001193")
    assert birth.required_documents.filter(key="xac-nhan-mang-thai-ho").exists()

    def change(data):
        record = next(p for p in data["procedures"] if p["code"] == "1.001193")
        record["documents"] = [d for d in record["documents"] if d["key"] != "xac-nhan-mang-thai-ho"]
        record["documents"][0]["name"] = "Tờ khai (mẫu mới)"
        record["processing_days"] = 2
        record["agencies"] = record["agencies"][:2]

    edit(seeds_dir, "procedures.json", change)
    load_seeds(seeds_dir=seeds_dir, demo=False, log=quiet)
    birth.refresh_from_db()
    assert not birth.required_documents.filter(key="xac-nhan-mang-thai-ho").exists()
    assert birth.required_documents.get(key="to-khai").name == "Tờ khai (mẫu mới)"
    assert birth.processing_days == 2
    assert birth.agencies.count() == 2


@pytest.mark.django_db
def test_reload_keeps_calendar_days_an_admin_added(seeds_dir):
    CalendarOverride.objects.create(date="2026-12-31", kind="day_off", name="Nghỉ cuối năm")
    load_seeds(seeds_dir=seeds_dir, demo=False, log=quiet)
    assert CalendarOverride.objects.filter(date="2026-12-31").exists()


def drop_key(key, index=3):
    def change(data):
        data["procedures"][index].pop(key)

    return change


def set_value(collection, index, key, value):
    def change(data):
        records = data[collection] if isinstance(data, dict) else data
        records[index][key] = value

    return change


def duplicate(collection, index):
    def change(data):
        records = data[collection] if isinstance(data, dict) else data
        records.append(dict(records[index]))

    return change


BAD_SCHEMA = {"type": "object", "properties": {"x": {"type": "array", "title": "X"}}, "required": []}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_name", "change", "record", "fragment"),
    [
        ("procedures.json", drop_key("name"), "#3 (1.004873)", "'name' is a required property"),
        (
            "procedures.json",
            set_value("procedures", 5, "agencies", ["999.99.99.H99"]),
            "#5 (1.001022)",
            "unknown agency '999.99.99.H99'",
        ),
        (
            "procedures.json",
            set_value("procedures", 0, "agencies", ["000.00.09.H26"]),
            "#0 (1.001193)",
            "not at gov_level",
        ),
        (
            "procedures.json",
            set_value("procedures", 1, "field", "khong-co"),
            "#1 (1.000894)",
            "unknown field 'khong-co'",
        ),
        ("procedures.json", set_value("procedures", 2, "form_schema", BAD_SCHEMA), "#2 (1.000656)", "form_schema"),
        ("procedures.json", set_value("procedures", 1, "delivery_methods", ["online"]), "#1 (1.000894)", "not offered"),
        ("procedures.json", set_value("procedures", 0, "online_level", 5), "#0 (1.001193)", "online_level"),
        ("procedures.json", set_value("procedures", 0, "fee", -1), "#0 (1.001193)", "fee"),
        ("procedures.json", duplicate("procedures", 4), "#54 (1.004859)", "duplicate code"),
        ("agencies.json", set_value(None, 20, "parent", "999.99.99.H99"), "#20 (000.03.15.H26)", "unknown parent"),
        ("agencies.json", set_value(None, 2, "gov_level", "ward"), "#2 (000.00.02.H26)", "gov_level"),
        ("agencies.json", set_value(None, 2, "code", "H26"), "#2 (H26)", "code"),
        ("calendar.json", set_value(None, 0, "date", "2026-02-30"), "#0 (2026-02-30)", "invalid date"),
        ("calendar.json", set_value(None, 1, "kind", "holiday"), "#1 (2026-01-10)", "kind"),
    ],
)
def test_bad_records_raise_seed_error_naming_file_and_record(seeds_dir, file_name, change, record, fragment):
    edit(seeds_dir, file_name, change)
    with pytest.raises(SeedError) as info:
        load_seeds(seeds_dir=seeds_dir, demo=False, log=quiet)
    error = info.value
    assert (error.file_name, error.record) == (file_name, record)
    assert f"{file_name}, record {record}: " in str(error)
    assert fragment in str(error)


@pytest.mark.django_db
def test_duplicate_document_key_is_rejected(seeds_dir):
    def change(data):
        documents = data["procedures"][0]["documents"]
        documents.append(dict(documents[0]))

    edit(seeds_dir, "procedures.json", change)
    with pytest.raises(SeedError, match=r"record #0 \(1.001193\): duplicate document key 'to-khai'"):
        load_seeds(seeds_dir=seeds_dir, demo=False, log=quiet)


@pytest.mark.django_db
def test_bad_json_names_the_file_and_writes_nothing(seeds_dir):
    (seeds_dir / "procedures.json").write_text('{"fields": [', encoding="utf-8")
    with pytest.raises(SeedError) as info:
        load_seeds(seeds_dir=seeds_dir, demo=False, log=quiet)
    assert info.value.file_name == "procedures.json"
    assert "invalid JSON at line 1" in str(info.value)
    # All or nothing: the agencies loaded before the bad file were rolled back.
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_missing_file_is_a_seed_error(seeds_dir):
    (seeds_dir / "calendar.json").unlink()
    with pytest.raises(SeedError, match=r"calendar\.json: file not found"):
        load_seeds(seeds_dir=seeds_dir, demo=False, log=quiet)


@pytest.mark.django_db
def test_command_prints_counts(capsys):
    call_command("load_seeds", "--no-demo")
    out = capsys.readouterr().out
    assert "procedures.json: 54 records" in out
    assert "agencies.json:" in out


@pytest.mark.django_db
def test_command_fails_with_the_seed_error(seeds_dir):
    edit(seeds_dir, "procedures.json", set_value("procedures", 5, "agencies", ["999.99.99.H99"]))
    with pytest.raises(CommandError, match=r"procedures.json, record #5 \(1.001022\): unknown agency"):
        call_command("load_seeds", "--no-demo", "--seeds-dir", str(seeds_dir))


@pytest.mark.django_db
def test_level_2_procedures_come_with_their_form_templates(seeds_dir):
    load_seeds(seeds_dir=seeds_dir, demo=False, log=quiet)
    level2 = Procedure.objects.filter(online_level=2)
    assert level2.exists() and all(procedure.form_templates.exists() for procedure in level2)
    template = FormTemplate.objects.get(file_name="1.012784-ban-ve-tach-hop-thua.pdf")
    assert template.file.read(5) == b"%PDF-"
    stored = template.file.name

    def change(data):
        record = next(p for p in data["procedures"] if p["code"] == "1.012784")
        record["form_templates"] = record["form_templates"][:1]
        record["form_templates"][0]["name"] = "Đơn đề nghị (mẫu mới)"

    edit(seeds_dir, "procedures.json", change)
    load_seeds(seeds_dir=seeds_dir, demo=False, log=quiet)
    assert list(FormTemplate.objects.filter(procedure__code="1.012784").values_list("name", flat=True)) == [
        "Đơn đề nghị (mẫu mới)"
    ]
    assert not template.file.storage.exists(stored)  # a form no longer listed leaves no file behind


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("forms/khong-co.pdf", None, "not found"),
        ("forms/gia-mao.pdf", b"MZ not a pdf", "is not a PDF"),
    ],
)
def test_a_bad_form_template_stops_the_load(seeds_dir, file, content, message):
    if content is not None:
        (seeds_dir / file).write_bytes(content)

    def change(data):
        data["procedures"][0]["form_templates"] = [{"name": "Tờ khai", "file": file}]

    edit(seeds_dir, "procedures.json", change)
    with pytest.raises(SeedError, match=message):
        load_seeds(seeds_dir=seeds_dir, demo=False, log=quiet)
    assert not FormTemplate.objects.exists()


def test_a_seed_file_can_be_skipped_and_an_unknown_name_is_refused(db):
    counts = load_seeds(demo=False, log=quiet, skip=frozenset({"calendar.json"}))
    assert "calendar.json" not in counts and "procedures.json" in counts
    with pytest.raises(SeedError, match="no such seed file"):
        load_seeds(demo=False, log=quiet, skip=frozenset({"nope.json"}))
