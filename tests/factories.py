"""Factories of test extracts: rows of a table, written as the CSV files an extract is."""
from __future__ import annotations

import csv
from pathlib import Path

from swgdash.contract import TABLES

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"


def write_csv(folder: Path, table: str, rows: list[dict], columns=None, delimiter=",",
              encoding="utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    columns = columns or list(TABLES[table].column_names)
    path = folder / f"{table}.csv"
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return path


def group(gid, **kw):
    return {"group_id": gid, "name": kw.pop("name", f"Group {gid}"), "kind": kw.pop("kind", "swg"), **kw}


def meeting(mid, gid, date, **kw):
    return {"meeting_id": mid, "group_id": gid, "date": date, **kw}


def messy_register(folder: Path, organisations: bool = False, as_of: str = "2026-11-15") -> Path:
    """A register as real secretariats keep them (36 groups, 34 counting): a group discontinued in
    2021 whose meetings are dated 2024, 2026 and 2027; a group established after the as-of date;
    'Embassy of Japan' (5 groups), 'Japan' (3) and 'JICA' (4) for one partner. With
    `organisations`, an organisations table says the three are Japan."""
    import datetime as dt

    groups = [group(f"SWG-{i:02d}", name=f"Sector group {i:02d}", chair_org=f"Ministry {i}",
                    planned_meetings_per_year=4, established_on="2015-01-01") for i in range(1, 35)]
    groups += [group("G-OLD", name="Old task force", kind="task_force", status="discontinued",
                     established_on="2016-01-01", closed_on="2021-06-30"),
               group("G-NEW", name="New task force", kind="task_force", established_on="2026-12-01")]
    meetings, n = [], 0
    for i in range(1, 35):
        for k in range(i % 5):  # 0 to 4 meetings a year over the last two years
            for year_back in (0, 1):
                n += 1
                day = dt.date(2026, 10, 1) - dt.timedelta(days=70 * k + 365 * year_back + i)
                meetings.append(meeting(f"M{n}", f"SWG-{i:02d}", day.isoformat()))
    meetings += [meeting("OLD-1", "G-OLD", "2024-03-10"), meeting("OLD-2", "G-OLD", "2026-06-12"),
                 meeting("OLD-3", "G-OLD", "2027-01-20")]
    members = [{"group_id": f"SWG-{i:02d}", "organisation": f"Ministry {i}", "org_type": "government",
                "role": "chair"} for i in range(1, 35)]
    for name, first, count in (("Embassy of Japan", 1, 5), ("Japan", 6, 3), ("JICA", 9, 4)):
        members += [{"group_id": f"SWG-{i:02d}", "organisation": name, "org_type": "development_partner",
                     "role": "active"} for i in range(first, first + count)]
    members += [{"group_id": f"SWG-{i:02d}", "organisation": "World Bank", "org_type": "development_partner",
                 "role": "co_chair"} for i in range(1, 3)]
    write_csv(folder, "groups", groups)
    write_csv(folder, "meetings", meetings)
    write_csv(folder, "members", members)
    write_csv(folder, "extract", [{"as_of": as_of}])
    if organisations:
        write_csv(folder, "organisations", [{"organisation": n, "partner": "Japan", "org_type": "development_partner"}
                                            for n in ("Embassy of Japan", "Japan", "JICA")])
    return folder


def run_cli(*argv) -> tuple[int, str]:
    """`python -m swgdash ARGV...` in this process: exit code and what it printed."""
    import io

    from swgdash.cli import main as cli

    out = io.StringIO()
    return cli(list(argv), out=out), out.getvalue()


def demo_home(folder: Path) -> Path:
    """A store holding the bundled demo, as the app's first start leaves it (reading never publishes)."""
    from swgdash import publishing
    from swgdash.store import FolderStore

    home = folder / "home"
    publishing.ensure_demo(FolderStore(home))
    return home


def updated_workbook(home, path, meeting_id="M-BROWSER-1"):
    """The current data of the store at `home` as the upload page offers it, with one group renamed
    and one meeting added, saved at `path`; returns the renamed group's id."""
    import io

    import openpyxl

    from swgdash.present import excel
    from swgdash.store import open_store

    v = open_store(home).current()
    data = excel.workbook({n: v.read(n) for n in v.tables})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    groups = wb["groups"]
    groups.cell(row=2, column=2).value = "Renamed in the browser test"
    renamed = groups.cell(row=2, column=1).value
    meetings = wb["meetings"]
    meetings.append([meeting_id, renamed, "2026-10-30", "joint", "technical", 12, "yes", "2026-10-20"])
    wb.save(path)
    return renamed


def later_version(home, folder: Path, as_of: str = "2026-11-15"):
    """Publish, after the store's current version, its data with: SWG-HEALTH renamed, a group added
    (SWG-CLIMATE), the first dormant group revived by a meeting, its first in-progress action done, and a
    group removed (the last sub-group of SWG-INFRA, with its rows). Returns (version, what changed:
    renamed, added, revived, done, removed)."""
    import datetime as dt

    import pandas as pd

    from swgdash import publishing
    from swgdash.ingest.validate import validate_paths
    from swgdash.query import metrics
    from swgdash.store import FolderStore

    store = FolderStore(home)
    v = store.current()
    tables = {n: v.read(n).to_pandas() for n in v.tables}
    db = publishing.open_database(v)
    try:
        act = metrics.group_activity(db.cursor(), metrics.Params(as_of=v.as_of))
    finally:
        db.close()
    revived = sorted(act[act["activity"] == "dormant"]["group_id"])[0]
    g = tables["groups"]
    removed = sorted(g[g["parent_id"] == "SWG-INFRA"]["group_id"])[-1]
    g.loc[g["group_id"] == "SWG-HEALTH", "name"] = "Health and Nutrition"
    g = g[g["group_id"] != removed]
    g = pd.concat([g, pd.DataFrame([{"group_id": "SWG-CLIMATE", "name": "Climate Change", "kind": "swg",
                                     "status": "active", "established_on": dt.date(2026, 11, 1)}])], ignore_index=True)
    tables["groups"] = g
    for name in tables:  # (every table naming the group: meetings, members, alignment, group_sectors, ...)
        if name != "groups" and "group_id" in tables[name]:
            tables[name] = tables[name][tables[name]["group_id"] != removed]
    m = tables["meetings"]
    tables["meetings"] = pd.concat([m, pd.DataFrame([{"meeting_id": "M-REVIVED", "group_id": revived,
                                                      "date": dt.date(2026, 11, 10), "format": "joint"}])],
                                   ignore_index=True)
    kept = set(tables["meetings"]["meeting_id"])
    if "attendance" in tables:
        tables["attendance"] = tables["attendance"][tables["attendance"]["meeting_id"].isin(kept)]
    a = tables["actions"]
    done = sorted(a[a["status"] == "in_progress"]["action_id"])[0]
    a.loc[a["action_id"] == done, "status"] = "done"
    tables["extract"] = pd.DataFrame([{"as_of": as_of}])
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False)
    result = validate_paths([folder])
    assert result.ok, [str(p) for p in result.errors]
    version = publishing.publish(store, result, dt.date.fromisoformat(as_of), "later version (test)")
    return version, {"renamed": "SWG-HEALTH", "added": "SWG-CLIMATE", "revived": revived, "done": done,
                     "removed": removed}


def planned_register() -> dict[str, list[dict]]:
    """A register with held, scheduled, cancelled and postponed meetings (issue 28), as {table: rows}:
    G-HELD held 2 in 12 months (one cancelled, one postponed), G-PLANNED only planned meetings,
    G-SOON dormant with its next meeting on the as-of day (2026-10-31), G-LATE dormant with its next
    meeting 91 days after it."""
    def m(mid, gid, date, status=None):
        return meeting(mid, gid, date, **({"status": status} if status is not None else {}))

    return {
        "groups": [group("G-HELD", planned_meetings_per_year=4), group("G-PLANNED", planned_meetings_per_year=4),
                   group("G-SOON"), group("G-LATE")],
        "meetings": [
            m("H1", "G-HELD", "2026-09-01"), m("H2", "G-HELD", "2026-06-01", "held"),
            m("C1", "G-HELD", "2026-03-01", "cancelled"), m("P1", "G-HELD", "2026-02-01", "postponed"),
            m("S1", "G-PLANNED", "2026-10-01", "scheduled"), m("S2", "G-PLANNED", "2026-10-20", "cancelled"),
            m("S3", "G-PLANNED", "2026-11-15", "scheduled"),
            m("N1", "G-SOON", "2025-01-10"),
            m("N2", "G-SOON", "2026-10-31", "scheduled"), m("N3", "G-SOON", "2026-12-01", "scheduled"),
            m("L1", "G-LATE", "2025-02-01"), m("L2", "G-LATE", "2027-01-30", "scheduled"),
        ],
    }


# The register at real sizes (issue 30): what a secretariat with many groups and partners holds.
LARGE_GROUPS, LARGE_PARTNERS, LARGE_OVERDUE = 60, 40, 30
_SECTORS = [("Health", "ສາທາລະນະສຸກ"), ("Education and Sports", "ສຶກສາ ແລະ ກິລາ"),
            ("Agriculture, Rural Development and Natural Resources", "ກະສິກຳ, ພັດທະນາຊົນນະບົດ ແລະ ຊັບພະຍາກອນທຳມະຊາດ"),
            ("Infrastructure, Transport and Urban Development", "ພື້ນຖານໂຄງລ່າງ, ຄົມມະນາຄົມ ແລະ ພັດທະນາຕົວເມືອງ"),
            ("Governance and Public Administration Reform", "ການປົກຄອງ ແລະ ການປະຕິຮູບການບໍລິຫານລັດ"),
            ("Macroeconomics, Public Finance and Debt Management", "ເສດຖະກິດມະຫາພາກ, ການເງິນສາທາລະນະ ແລະ ການຄຸ້ມຄອງໜີ້"),
            ("Trade and Private Sector Development", "ການຄ້າ ແລະ ການພັດທະນາພາກເອກະຊົນ"),
            ("Natural Resources, Environment and Climate Change", "ຊັບພະຍາກອນທຳມະຊາດ, ສິ່ງແວດລ້ອມ ແລະ ການປ່ຽນແປງດິນຟ້າອາກາດ"),
            ("Illicit Drug Control and Alternative Development", "ການຄວບຄຸມຢາເສບຕິດ ແລະ ການພັດທະນາທາງເລືອກ"),
            ("Unexploded Ordnance and Mine Action", "ລະເບີດບໍ່ທັນແຕກ ແລະ ວຽກງານກູ້ລະເບີດ"),
            ("Energy, Mines and Rural Electrification", "ພະລັງງານ, ບໍ່ແຮ່ ແລະ ການສະໜອງໄຟຟ້າຊົນນະບົດ"),
            ("Social Protection, Labour and Vulnerable Groups", "ການປົກປ້ອງສັງຄົມ, ແຮງງານ ແລະ ກຸ່ມຄົນດ້ອຍໂອກາດ")]
# each sector's DAC code (group_sectors): its SWG and sub-groups share it
_SECTOR_CODES = ["121", "111", "311", "210", "151", "15111", "331", "410", "16063", "15250", "230", "160"]
_TOPICS = [("Planning, Budgeting, Monitoring and Evaluation of Programmes at Central, Provincial and District Levels",
            "ການວາງແຜນ, ງົບປະມານ, ການຕິດຕາມ ແລະ ປະເມີນຜົນແຜນງານ ຢູ່ຂັ້ນສູນກາງ, ແຂວງ ແລະ ເມືອງ ໃຫ້ມີປະສິດທິຜົນສູງຂຶ້ນ"),
           ("Human Resources Development", "ການພັດທະນາຊັບພະຍາກອນມະນຸດ"),
           ("Policy, Legal Framework, Regulations and Institutional Capacity Strengthening for Implementation",
            "ນະໂຍບາຍ, ກອບກົດໝາຍ, ລະບຽບການ ແລະ ການເສີມສ້າງຄວາມສາມາດຂອງອົງການຈັດຕັ້ງເພື່ອການຈັດຕັ້ງປະຕິບັດ"),
           ("Gender", "ບົດບາດຍິງ-ຊາຍ")]
_PARTNERS = ["ADB", "World Bank", "Japan", "JICA", "Australia", "European Union", "Germany", "GIZ", "France", "AFD",
             "Switzerland", "SDC", "United States", "USAID", "Korea", "KOICA", "China", "Luxembourg", "Ireland",
             "New Zealand", "United Kingdom", "UNDP", "UNICEF", "WHO", "FAO", "WFP", "UNFPA", "UN Women", "ILO",
             "UNODC", "IFAD", "IMF", "Asian Infrastructure Investment Bank", "Thailand",
             "Viet Nam", "Global Fund to Fight AIDS, Tuberculosis and Malaria", "Gavi, the Vaccine Alliance",
             "Global Partnership for Education", "Canada", "Sweden"]


def _words(text: str, most: int) -> str:
    """The text's first words, at most `most` characters (a name as long as a register's longest)."""
    if len(text) <= most:
        return text
    words = text[:most + 1].rsplit(" ", 1)[0].rstrip(",").split(" ")
    while words and words[-1] in ("and", "on", "of", "in", "for", "at", "the", "ແລະ"):  # (no name ends mid-phrase)
        words.pop()
    return " ".join(words).rstrip(",")


def large_register(folder: Path, as_of: str = "2026-10-31") -> Path:
    """A register at the sizes of issue 30, written as an extract: 60 groups (12 SWGs with 4
    sub-groups each) named at length in English and Lao (the longest 120 characters), 40 development
    partners in 1 to 16 groups each, half the groups dormant or at risk (several slides' worth of
    dormant groups), the 2022 review's nine recommendations with 48 actions of which 30 are overdue
    (long descriptions and owners), the plans' pillars and alignment, and documents for some groups."""
    import datetime as dt
    import shutil

    day0 = dt.date.fromisoformat(as_of)
    groups, members, meetings, alignment, documents = [], [], [], [], []
    for s, (sector, sector_lo) in enumerate(_SECTORS):
        sid = f"SWG-{s + 1:02d}"
        groups.append(group(sid, name=f"{sector} Sector Working Group", name_lo=f"ກຸ່ມວຽກງານຂະແໜງການ{sector_lo}",
                            chair_org=f"Ministry of {sector.split(',')[0]}", planned_meetings_per_year=2,
                            established_on="2008-01-01"))
        for t, (topic, topic_lo) in enumerate(_TOPICS):
            gid = f"SUB-{s + 1:02d}-{t + 1}"
            name = _words(f"Sub-Sector Working Group of {sector} on {topic}", 120)  # (the sector first: each unique)
            groups.append(group(gid, name=name, name_lo=_words(f"ກຸ່ມວຽກງານຂະແໜງການຍ່ອຍ ຂອງຂະແໜງ{sector_lo} {topic_lo}", 120),
                                kind="sub_swg", parent_id=sid, planned_meetings_per_year=4,
                                established_on="2012-06-01"))
    for k, g in enumerate(groups):
        members.append({"group_id": g["group_id"], "organisation": g.get("chair_org") or "Ministry of Planning",
                        "org_type": "government", "role": "chair", "start_on": g["established_on"]})
        # a third active, a sixth at risk, the rest dormant (many slides' worth of dormant groups)
        band = k % 6
        last = day0 - dt.timedelta(days=[20, 75, 130, 250, 420, 900][band] + k)
        dates = [last - dt.timedelta(days=91 * n) for n in range(6)]
        for n, d in enumerate(dates):
            meetings.append(meeting(f"M-{k:02d}-{n}", g["group_id"], d.isoformat(), format="joint",
                                    level="technical", participants=12, minutes_published="true"))
        alignment.append({"group_id": g["group_id"], "pillar_id": f"NSEDP9-O{k % 6 + 1}", "primary": "true"})
        alignment.append({"group_id": g["group_id"], "pillar_id": f"NSEDP10-G{k % 6 + 1}", "primary": "true"})
        if k % 3 == 0:
            documents.append({"group_id": g["group_id"], "doc_type": "tor", "year": 2015, "issued_on": "2015-03-01",
                              "title": f"Terms of reference of {g['name']}"})
    for p, partner in enumerate(_PARTNERS):  # partner p in 1 + (p * 7) % 16 groups: 1 to 16
        for n in range(1 + (p * 7) % 16):
            g = groups[(p * 11 + n * 5) % len(groups)]
            role = "co_chair" if n == 0 and p % 3 == 0 else "focal_point" if n % 4 == 1 else "active"
            members.append({"group_id": g["group_id"], "organisation": partner, "org_type": "development_partner",
                            "role": role, "start_on": "2020-01-01"})
    members = list({(m["group_id"], m["organisation"]): m for m in members}.values())
    actions = []
    owners = ["Department of International Cooperation, Ministry of Finance (formerly Ministry of Planning and Investment)",
              "Secretariat of the Round Table Process", "Each SWG chair", "Development partner co-chairs"]
    for n in range(48):
        overdue = n < LARGE_OVERDUE
        due = day0 - dt.timedelta(days=30 + 20 * n) if overdue else day0 + dt.timedelta(days=60 + 10 * n)
        status = ("in_progress" if n % 2 else "not_started") if overdue else ("done" if n % 3 else "in_progress")
        if not overdue and status == "done":
            due = day0 - dt.timedelta(days=100 + n)
        g = groups[n % len(groups)]
        actions.append({"action_id": f"A-{n + 1:03d}", "rec_id": f"REC-{n % 9 + 1:02d}", "group_id": g["group_id"],
                        "description": f"Agree with {g['name']} on revised terms of reference, a costed work plan "
                                       f"and a calendar of joint meetings (action {n + 1})",
                        "description_lo": f"ຕົກລົງກັບ {g['name_lo']} ກ່ຽວກັບຂໍ້ກຳນົດໜ້າທີ່ສະບັບປັບປຸງ, ແຜນວຽກ ແລະ "
                                          f"ປະຕິທິນກອງປະຊຸມຮ່ວມ (ວຽກທີ {n + 1})",
                        "owner": owners[n % len(owners)], "due_on": due.isoformat(), "status": status,
                        "updated_on": (day0 - dt.timedelta(days=10)).isoformat()})
    write_csv(folder, "groups", groups)
    write_csv(folder, "meetings", meetings)
    write_csv(folder, "members", members)
    write_csv(folder, "alignment", alignment)
    write_csv(folder, "documents", documents)
    write_csv(folder, "actions", actions)
    # (SWG-03 and SUB-03-n: the third sector's code)
    write_csv(folder, "group_sectors", [{"group_id": g["group_id"], "dac_code": _SECTOR_CODES[int(g["group_id"].split("-")[1]) - 1]}
                                        for g in groups])
    write_csv(folder, "organisations", [{"organisation": o, "partner": o, "org_type": "development_partner",
                                         "iati_ref": f"XM-LARGE-{p:02d}"} for p, o in enumerate(_PARTNERS)])
    write_csv(folder, "extract", [{"as_of": as_of}])
    for table in ("pillars", "recommendations"):
        shutil.copy(DEMO / f"{table}.csv", folder / f"{table}.csv")
    return folder


def large_home(folder: Path) -> Path:
    """A store holding the large register (large_register) as its current version."""
    import datetime as dt

    from swgdash import publishing
    from swgdash.ingest.validate import validate_paths
    from swgdash.store import FolderStore

    result = validate_paths([large_register(folder / "large")])
    assert result.ok, [str(p) for p in result.errors]
    home = folder / "home"
    publishing.publish(FolderStore(home), result, dt.date(2026, 10, 31), "the large register (test)")
    publishing.import_iati(FolderStore(home), [large_iati(folder / "iati.xml")], note="the large register (test)")
    return home


def large_iati(path: Path) -> Path:
    """The large register's partners' IATI activities: three each, in three sectors, long titles in
    English and Lao, disbursed in 2025 (one in kip, which has no reference rate)."""
    acts = []
    for p, partner in enumerate(_PARTNERS):
        for n in range(3):
            s = (p + n * 5) % len(_SECTORS)
            code = _SECTOR_CODES[s] if len(_SECTOR_CODES[s]) == 5 else _SECTOR_CODES[s] + "10"
            sector, sector_lo = _SECTORS[s]
            currency = "LAK" if (p, n) == (0, 0) else "USD"
            acts.append(
                f'<iati-activity last-updated-datetime="2026-01-01T00:00:00Z" default-currency="{currency}">'
                f"<iati-identifier>XM-LARGE-{p:02d}-LA-{n + 1}</iati-identifier>"
                f'<reporting-org ref="XM-LARGE-{p:02d}" type="10"><narrative>{partner}</narrative></reporting-org>'
                f"<title><narrative>{sector}: strengthening services at central, provincial and district levels, "
                f'phase {n + 1}</narrative><narrative xml:lang="lo">{sector_lo}: ເສີມສ້າງການບໍລິການຢູ່ຂັ້ນສູນກາງ, '
                f"ແຂວງ ແລະ ເມືອງ, ໄລຍະ {n + 1}</narrative></title>"
                f'<activity-status code="2"/><recipient-country code="LA" percentage="100"/>'
                f'<sector vocabulary="1" code="{code}" percentage="100"/>'
                f'<transaction><transaction-type code="3"/><transaction-date iso-date="2025-0{n + 4}-15"/>'
                f'<value value-date="2025-0{n + 4}-15">{(p + 1) * 150_000 * (n + 1) * (9000 if currency == "LAK" else 1)}'
                f"</value></transaction></iati-activity>")
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" '
                    'generated-datetime="2026-10-15T00:00:00Z">\n' + "\n".join(acts) + "\n</iati-activities>\n",
                    encoding="utf-8")
    return path
