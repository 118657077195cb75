"""Make the bundled demo extract of the SWG Dashboard (``data/demo/*.csv``).

The demo is a realistic but *invented* extract of the registers that the
secretariat of the Lao Round Table Process (DIC, Ministry of Planning and
Investment) keeps on its Sector Working Groups.  It follows the "SWG extract
format, version 1" and writes nine CSV files:

    groups, meetings, members, attendance, pillars, alignment,
    recommendations, actions, documents

The groups, chairs, co-chairs, sub-SWGs, national plans and the nine
recommendations of the 2022 SWG review are the real ones; meetings, members'
terms, attendance, actions and documents are made up (deterministically, with
``random.Random(2022)``) so that the dashboard has something to show:

* the extract is published as of ``DEMO_AS_OF`` (2026-10-31); there is no
  meeting after that date;
* among the groups that count (status ``active``, established on or before the
  as-of date) about 58 % are active, 18 % at risk and 24 % dormant, including
  two groups that never met and two boundary cases (a meeting on exactly
  2026-04-30 -> active; a last meeting on exactly 2025-10-31 -> at risk);
* in each plan exactly one pillar (regional and international integration) is
  a gap: only dormant, closed or not-yet-established groups are aligned to it;
* 9 of the 37 follow-up actions are overdue; one is due on the as-of date;
* one task force is established after the as-of date and must not count;
* some documents have Lao titles, empty links or share paths (not http).

Re-run it (from the repository root) with::

    .venv/bin/python scripts/make_demo.py            # writes data/demo/
    .venv/bin/python scripts/make_demo.py --out DIR  # writes DIR/

Running it twice gives byte-identical files (UTF-8 without BOM, comma
separated, ``\\n`` line ends, dates YYYY-MM-DD, booleans true/false, empty cell
for missing).  It uses only the standard library and never reads the clock.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

DEMO_AS_OF = "2026-10-31"
SEED = 2022
FIRST_YEAR = 2019          # meetings are generated from this year on
MEMBER_HISTORY_FROM = "2018-01-01"  # leadership terms are recorded back to here

# --------------------------------------------------------------------------
# Contract: table names and columns, in contract order
# --------------------------------------------------------------------------

COLUMNS = {
    "groups": ["group_id", "name", "kind", "parent_id", "chair_org", "status",
               "planned_meetings_per_year", "established_on", "closed_on"],
    "meetings": ["meeting_id", "group_id", "date", "format", "level",
                 "participants", "minutes_published", "agenda_sent_on"],
    "members": ["group_id", "organisation", "org_type", "role", "start_on", "end_on"],
    "attendance": ["meeting_id", "organisation", "present"],
    "pillars": ["plan", "pillar_id", "name"],
    "alignment": ["group_id", "pillar_id", "primary"],
    "recommendations": ["rec_id", "title", "source", "text"],
    "actions": ["action_id", "rec_id", "group_id", "description", "owner",
                "due_on", "status", "updated_on"],
    "documents": ["group_id", "doc_type", "year", "issued_on", "title", "url"],
}

# --------------------------------------------------------------------------
# Organisations (spelled once, used everywhere)
# --------------------------------------------------------------------------

DIC = "DIC/MPI"
MOH = "Ministry of Health"
MOES = "Ministry of Education and Sports"
MOHA = "Ministry of Home Affairs"
MPWT = "Ministry of Public Works and Transport"
MLSW = "Ministry of Labour and Social Welfare"
LCDC = "Lao National Commission for Drug Control and Supervision"
MAF = "Ministry of Agriculture and Forestry"
MPI = "Ministry of Planning and Investment"
MOIC = "Ministry of Industry and Commerce"
MONRE = "Ministry of Natural Resources and Environment"
MOJ = "Ministry of Justice"
NRA = "National Regulatory Authority for UXO/Mine Action"

DEVELOPMENT_PARTNERS = [
    "Japan", "WHO", "Australia", "EU", "UNDP", "Switzerland (SDC)", "ADB",
    "World Bank", "United States", "UNODC", "France", "FAO", "Germany",
    "UNICEF", "Save the Children", "GIZ", "JICA", "KOICA", "Luxembourg",
    "UNFPA", "ILO",
]
CIVIL_SOCIETY = ["iNGO Network", "Lao Disabled People's Association"]
PRIVATE_SECTOR = ["Lao National Chamber of Commerce and Industry"]
OTHER_ORGS = ["National University of Laos"]

# --------------------------------------------------------------------------
# Groups: (group_id, name, kind, parent_id, chair_org, status,
#          planned_meetings_per_year, established_on, closed_on)
# --------------------------------------------------------------------------

GROUPS = [
    # The ten sector working groups
    ("SWG-HEALTH", "Health Sector Working Group", "swg", None, MOH, "active", 2, "2005-11-15", None),
    ("SWG-EDU", "Education Sector Working Group", "swg", None, MOES, "active", 2, "2006-02-20", None),
    ("SWG-GOV", "Governance Sector Working Group", "swg", None, MOHA, "active", 2, "2006-11-29", None),
    ("SWG-INFRA", "Infrastructure Sector Working Group", "swg", None, MPWT, "active", 2, "2007-05-10", None),
    ("SWG-UXO", "Mine Action / UXO Sector Working Group", "swg", None, MLSW, "active", 2, "2006-11-29", None),
    ("SWG-DRUG", "Illicit Drug Control Sector Working Group", "swg", None, LCDC, "active", 2, "2006-11-29", None),
    ("SWG-AGRI", "Agriculture and Rural Development Sector Working Group", "swg", None, MAF, "active", 2, "2006-06-15", None),
    ("SWG-MACRO", "Macroeconomics Sector Working Group", "swg", None, MPI, "active", 2, "2008-04-01", None),
    ("SWG-TRADE", "Trade and Private Sector Development Sector Working Group", "swg", None, MOIC, "active", 2, "2008-10-01", None),
    ("SWG-NRE", "Natural Resources and Environment Sector Working Group", "swg", None, MONRE, "active", 2, "2011-09-20", None),
    # Health sub-SWGs
    ("SUB-HEALTH-HPF", "Sub-SWG on Health Planning and Finance", "sub_swg", "SWG-HEALTH", "Department of Planning and Finance, Ministry of Health", "active", 4, "2009-03-01", None),
    ("SUB-HEALTH-HRH", "Sub-SWG on Human Resources for Health", "sub_swg", "SWG-HEALTH", "Department of Health Personnel, Ministry of Health", "active", 4, "2009-03-01", None),
    ("SUB-HEALTH-MCHN", "Sub-SWG on Mother and Child Health and Nutrition", "sub_swg", "SWG-HEALTH", "Mother and Child Health Centre, Ministry of Health", "active", 4, "2010-06-01", None),
    ("SUB-HEALTH-HC", "Sub-SWG on Health Care", "sub_swg", "SWG-HEALTH", "Department of Health Care and Rehabilitation, Ministry of Health", "active", 4, "2013-05-15", None),
    ("SUB-HEALTH-FD", "Sub-SWG on Food and Drug", "sub_swg", "SWG-HEALTH", "Food and Drug Department, Ministry of Health", "active", 4, "2013-05-15", None),
    ("SUB-HEALTH-HHP", "Sub-SWG on Hygiene and Health Promotion", "sub_swg", "SWG-HEALTH", "Department of Hygiene and Health Promotion, Ministry of Health", "active", 4, "2013-05-15", None),
    ("SUB-HEALTH-HIS", "Sub-SWG on Health Information Systems", "sub_swg", "SWG-HEALTH", "Department of Planning and Finance, Ministry of Health", "merged", 4, "2011-01-10", "2023-06-30"),
    # Education sub-SWGs
    ("SUB-EDU-BASIC", "Sub-SWG on Basic Education", "sub_swg", "SWG-EDU", "Department of General Education, Ministry of Education and Sports", "active", 4, "2009-10-01", None),
    ("SUB-EDU-PB", "Sub-SWG on Post-Basic Education", "sub_swg", "SWG-EDU", "Department of Higher Education, Ministry of Education and Sports", "active", 4, "2009-10-01", None),
    ("SUB-EDU-EMAPA", "Sub-SWG on Education Management, Administration and Performance Assessment", "sub_swg", "SWG-EDU", "Department of Planning, Ministry of Education and Sports", "active", 4, "2012-02-01", None),
    ("SUB-EDU-ERA", "Sub-SWG on Education Research and Analysis", "sub_swg", "SWG-EDU", "Research Institute for Educational Sciences, Ministry of Education and Sports", "active", 4, "2021-09-01", None),
    ("SUB-EDU-SPORTS", "Sub-SWG on Sports", "sub_swg", "SWG-EDU", "Department of Sports, Ministry of Education and Sports", "active", 4, "2016-04-01", None),
    ("SUB-EDU-TVET", "Sub-SWG on Technical and Vocational Education and Training", "sub_swg", "SWG-EDU", "Department of Technical and Vocational Education, Ministry of Education and Sports", "merged", 4, "2010-05-01", "2020-06-30"),
    # Governance sub-SWGs
    ("SUB-GOV-PSI", "Sub-SWG on Public Service Improvement", "sub_swg", "SWG-GOV", "Department of Public Service Management, Ministry of Home Affairs", "active", 4, "2012-07-01", None),
    ("SUB-GOV-LIO", "Sub-SWG on Legal and Institutional Oversight", "sub_swg", "SWG-GOV", "Department of Legislation, Ministry of Justice", "active", 4, "2012-07-01", None),
    # Infrastructure sub-SWGs
    ("SUB-INFRA-DEV", "Sub-SWG on Infrastructure Development", "sub_swg", "SWG-INFRA", "Department of Planning and Cooperation, Ministry of Public Works and Transport", "active", 4, "2014-03-01", None),
    ("SUB-INFRA-TRANS", "Sub-SWG on Transport", "sub_swg", "SWG-INFRA", "Department of Transport, Ministry of Public Works and Transport", "active", 4, "2010-01-15", None),
    ("SUB-INFRA-WSUD", "Sub-SWG on Water, Sanitation and Urban Development", "sub_swg", "SWG-INFRA", "Department of Housing and Urban Planning, Ministry of Public Works and Transport", "active", 4, "2010-01-15", None),
    ("SUB-INFRA-URB", "Sub-SWG on Urban Development", "sub_swg", "SWG-INFRA", "Department of Housing and Urban Planning, Ministry of Public Works and Transport", "merged", 4, "2010-01-15", "2019-09-30"),
    # Illicit drug control sub-SWG
    ("SUB-DRUG-CRIME", "Sub-SWG on Crime", "sub_swg", "SWG-DRUG", "Counter-Narcotics Police Department, Ministry of Public Security", "active", 4, "2017-05-01", None),
    # Agriculture sub-SWGs
    ("SUB-AGRI-FAB", "Sub-SWG on Farmers and Agribusiness", "sub_swg", "SWG-AGRI", "Department of Agriculture, Ministry of Agriculture and Forestry", "active", 4, "2010-11-01", None),
    ("SUB-AGRI-ABD", "Sub-SWG on Agro-biodiversity", "sub_swg", "SWG-AGRI", "National Agriculture and Forestry Research Institute, Ministry of Agriculture and Forestry", "active", 4, "2012-03-01", None),
    ("SUB-AGRI-FOR", "Sub-SWG on Forestry", "sub_swg", "SWG-AGRI", "Department of Forestry, Ministry of Agriculture and Forestry", "active", 4, "2010-11-01", None),
    ("SUB-AGRI-RD", "Sub-SWG on Rural Development", "sub_swg", "SWG-AGRI", "Department of Rural Development and Cooperatives, Ministry of Agriculture and Forestry", "active", 4, "2010-11-01", None),
    ("SUB-AGRI-IRR", "Sub-SWG on Irrigation", "sub_swg", "SWG-AGRI", "Department of Irrigation, Ministry of Agriculture and Forestry", "merged", 4, "2010-11-01", "2023-06-30"),
    # Closed sub-SWGs of SWGs that have none today
    ("SUB-TRADE-TF", "Sub-SWG on Trade Facilitation", "sub_swg", "SWG-TRADE", "Department of Import and Export, Ministry of Industry and Commerce", "discontinued", 4, "2012-05-01", "2022-12-31"),
    ("SUB-NRE-LAND", "Sub-SWG on Land Management", "sub_swg", "SWG-NRE", "Department of Land, Ministry of Natural Resources and Environment", "discontinued", 4, "2014-01-15", "2020-12-31"),
    # Task forces
    ("TF-REVITAL", "Task Force on SWG Revitalisation", "task_force", None, DIC, "active", 6, "2023-05-15", None),
    ("TF-RTIM2024", "RTIM 2024 Preparation Task Force", "task_force", None, DIC, "discontinued", 12, "2023-06-01", "2024-12-31"),
    ("TF-MAPPING", "Task Force on Development Partner Mapping", "task_force", "SWG-MACRO", MPI, "active", 4, "2024-09-01", None),
    ("TF-LDC", "Task Force on LDC Graduation Transition", "task_force", "SWG-MACRO", MPI, "active", 6, "2026-12-01", None),
]

# Last meeting of each group (None: never met).  This fixes each group's
# activity as of DEMO_AS_OF; earlier meetings are drawn at random.
LAST_MEETING = {
    # active: met on or after 2026-04-30
    "SWG-HEALTH": "2026-09-17", "SWG-EDU": "2026-08-20", "SWG-GOV": "2026-06-25",
    "SWG-INFRA": "2026-07-09", "SWG-UXO": "2026-05-21", "SWG-AGRI": "2026-10-22",
    "SWG-MACRO": "2026-10-08",
    "SUB-HEALTH-HPF": "2026-10-14", "SUB-HEALTH-HRH": "2026-09-09",
    "SUB-HEALTH-MCHN": "2026-10-28", "SUB-HEALTH-HC": "2026-07-15",
    "SUB-EDU-BASIC": "2026-10-06", "SUB-EDU-PB": "2026-09-24",
    "SUB-GOV-PSI": "2026-04-30",      # boundary: exactly 6 months before as-of
    "SUB-INFRA-TRANS": "2026-08-12", "SUB-INFRA-WSUD": "2026-06-03",
    "SUB-AGRI-FAB": "2026-09-30", "SUB-AGRI-RD": "2026-10-20",
    "TF-REVITAL": "2026-10-29",
    # at risk: last met between 2025-10-31 and 2026-04-29
    "SWG-DRUG": "2025-11-05",
    "SWG-NRE": "2025-10-31",          # boundary: exactly 12 months before as-of
    "SUB-HEALTH-HHP": "2026-02-18", "SUB-EDU-EMAPA": "2026-03-25",
    "SUB-AGRI-FOR": "2026-01-20", "SUB-INFRA-DEV": "2025-12-10",
    # dormant: no meeting since before 2025-10-31, or never
    "SWG-TRADE": "2025-09-24", "SUB-HEALTH-FD": "2021-06-22",
    "SUB-EDU-SPORTS": "2020-02-12", "SUB-EDU-ERA": None,
    "SUB-GOV-LIO": "2023-08-16", "SUB-DRUG-CRIME": "2022-03-09",
    "SUB-AGRI-ABD": "2024-05-15", "TF-MAPPING": None,
    # closed groups, and the task force that does not exist yet
    "SUB-HEALTH-HIS": "2023-03-15", "SUB-EDU-TVET": "2020-01-22",
    "SUB-INFRA-URB": "2019-08-14", "SUB-AGRI-IRR": "2023-04-19",
    "SUB-TRADE-TF": "2021-03-10", "SUB-NRE-LAND": "2019-11-06",
    "TF-RTIM2024": "2024-11-21", "TF-LDC": None,
}

# National events the SWG plenaries prepare for (meetings cluster before them).
# The November 2024 RTIM date is approximate.
NATIONAL_EVENTS = [
    ("2019-11-25", "Round Table Implementation Meeting 2019"),
    ("2021-11-17", "13th Round Table Meeting"),
    ("2022-11-16", "Meeting of SWG chairs and co-chairs"),
    ("2023-01-26", "Round Table Implementation Meeting 2023"),
    ("2024-02-13", "Round Table Implementation Meeting 2024"),
    ("2024-11-28", "Round Table Implementation Meeting, November 2024"),
    ("2025-11-19", "14th Round Table Meeting"),
]

# Sub-SWGs whose development partners also meet donors-only
DONORS_ONLY_SUBS = ["SUB-HEALTH-HPF", "SUB-HEALTH-MCHN", "SUB-EDU-BASIC",
                    "SUB-EDU-PB", "SUB-GOV-PSI", "SUB-INFRA-TRANS",
                    "SUB-AGRI-RD", "SUB-AGRI-FOR"]

# --------------------------------------------------------------------------
# Members.  "leaders": seats as (role, holders, current_end, successor, years):
#   terms of `years` years are laid back from current_end (holders rotate,
#   the last one holds the current term); current_end None = one open term;
#   successor = organisation recorded for the next term (starts after it).
# "others": (organisation, role) or (organisation, role, start_on, end_on).
# Every group also gets its chair; every SWG gets the DIC secretariat.
# --------------------------------------------------------------------------

MEMBERS = {
    "SWG-HEALTH": {
        "leaders": [("co_chair", ["Japan"], "2027-06-30", None, 3),
                    ("co_chair", ["WHO"], "2028-06-30", None, 3)],
        "others": [("UNICEF", "active"), ("Australia", "active"), ("Luxembourg", "active"),
                   ("KOICA", "attending"), ("UNFPA", "attending"), ("World Bank", "attending"),
                   ("iNGO Network", "attending"), ("Save the Children", "informed")],
    },
    "SWG-EDU": {
        "leaders": [("co_chair", ["Australia"], "2027-12-31", None, 3),
                    ("co_chair", ["EU"], "2026-12-31", "EU", 3)],
        "others": [("UNICEF", "active"), ("Luxembourg", "active"), ("JICA", "active"),
                   ("Save the Children", "attending"), ("KOICA", "attending"),
                   ("World Bank", "attending"), ("iNGO Network", "informed")],
    },
    "SWG-GOV": {
        "leaders": [("co_chair", ["UNDP"], "2027-12-31", None, 3),
                    ("co_chair", ["Switzerland (SDC)"], "2026-12-31", "EU", 3)],
        "others": [(MOJ, "active"), ("EU", "active"), ("Australia", "active"), ("Germany", "active"),
                   ("GIZ", "attending"), ("UNFPA", "attending"),
                   ("Lao Disabled People's Association", "attending", "2024-03-01", None),
                   ("iNGO Network", "informed"), ("United States", "informed")],
    },
    "SWG-INFRA": {
        "leaders": [("co_chair", ["Japan"], "2028-03-31", None, 3),
                    ("co_chair", ["ADB"], "2027-03-31", None, 2),
                    ("co_chair", ["World Bank"], "2027-09-30", None, 3)],
        "others": [("JICA", "active"), ("EU", "active"), ("Australia", "attending"),
                   ("KOICA", "attending"), ("Germany", "informed")],
    },
    "SWG-UXO": {
        "leaders": [("co_chair", ["UNDP"], "2028-06-30", None, 3),
                    ("co_chair", ["United States"], "2028-12-31", None, 3)],
        "others": [(NRA, "active"), ("Japan", "active"), ("Australia", "active"),
                   ("Lao Disabled People's Association", "active"),
                   ("Germany", "attending"), ("KOICA", "informed")],
    },
    "SWG-DRUG": {
        "leaders": [("co_chair", ["Japan"], "2028-09-30", None, 3),
                    ("co_chair", ["Australia"], "2027-06-30", None, 3),
                    ("co_chair", ["UNODC"], "2029-06-30", None, 3)],
        "others": [("United States", "active"), ("EU", "active"), ("France", "attending"),
                   ("Germany", "informed")],
    },
    "SWG-AGRI": {
        "leaders": [("co_chair", ["France"], "2027-12-31", None, 3),
                    ("co_chair", ["FAO"], "2026-12-31", "Switzerland (SDC)", 3)],
        "others": [("Switzerland (SDC)", "active"), ("Germany", "active"), ("GIZ", "active"),
                   ("Luxembourg", "attending"), ("JICA", "attending"), ("ADB", "attending"),
                   ("iNGO Network", "attending"), ("World Bank", "informed"), ("KOICA", "informed")],
    },
    "SWG-MACRO": {
        "leaders": [("co_chair", ["ADB"], "2027-06-30", None, 3),
                    ("co_chair", ["World Bank"], "2028-06-30", None, 3)],
        "others": [("Japan", "active"), ("EU", "active"), ("UNDP", "active"),
                   ("Australia", "attending"), ("Germany", "attending"), ("France", "informed")],
    },
    "SWG-TRADE": {
        "leaders": [("co_chair", ["EU"], "2026-12-31", None, 3),
                    ("co_chair", ["United States"], "2025-06-30", None, 3)],
        "others": [("Germany", "active"), ("GIZ", "active"), ("Australia", "active"),
                   ("Lao National Chamber of Commerce and Industry", "active"),
                   ("World Bank", "attending"), ("JICA", "informed")],
    },
    "SWG-NRE": {
        "leaders": [("co_chair", ["Germany"], "2028-12-31", None, 3),
                    ("co_chair", ["World Bank"], "2027-09-30", None, 3)],
        "others": [("GIZ", "active"), ("EU", "active"), ("FAO", "attending"), ("UNDP", "attending"),
                   ("Luxembourg", "informed"), ("iNGO Network", "informed")],
    },
    "SUB-HEALTH-HPF": {
        "leaders": [("focal_point", ["World Bank"], "2027-09-30", "Australia", 2),
                    ("vice_focal_point", ["Luxembourg"], "2027-09-30", None, 2)],
        "others": [("WHO", "active"), ("Australia", "active"), ("UNICEF", "attending"),
                   ("KOICA", "attending"), ("Save the Children", "informed"), ("United States", "informed")],
    },
    "SUB-HEALTH-HRH": {
        "leaders": [("focal_point", ["KOICA"], "2027-12-31", None, 2)],
        "others": [("WHO", "active"), ("Luxembourg", "active"), ("Japan", "attending"),
                   ("JICA", "attending"), ("UNFPA", "informed")],
    },
    "SUB-HEALTH-MCHN": {   # duplication: many active development partners
        "leaders": [("focal_point", ["UNICEF"], "2028-03-31", None, 2),
                    ("vice_focal_point", ["UNFPA"], "2028-03-31", None, 2)],
        "others": [("WHO", "active"), ("Australia", "active"), ("Save the Children", "active"),
                   ("KOICA", "active"), ("Luxembourg", "active"), ("JICA", "active"),
                   ("World Bank", "active"), ("EU", "active"),
                   ("iNGO Network", "attending"), ("United States", "informed")],
    },
    "SUB-HEALTH-HC": {
        "leaders": [("focal_point", ["JICA"], "2027-03-31", "KOICA", 2)],
        "others": [("WHO", "active"), ("KOICA", "active"), ("Luxembourg", "attending"),
                   ("Save the Children", "informed")],
    },
    "SUB-HEALTH-FD": {     # lapsed: the focal point's term ran out
        "leaders": [("focal_point", ["WHO"], "2024-12-31", None, 2)],
        "others": [("United States", "active"), ("JICA", "active"), ("KOICA", "attending")],
    },
    "SUB-HEALTH-HHP": {
        "leaders": [("focal_point", ["UNICEF"], "2028-06-30", None, 2)],
        "others": [("WHO", "active"), ("Save the Children", "active"),
                   ("iNGO Network", "attending"), ("JICA", "informed")],
    },
    "SUB-HEALTH-HIS": {
        "leaders": [("focal_point", ["WHO"], None, None, 2)],
        "others": [("World Bank", "active"), ("GIZ", "active"), ("UNICEF", "attending")],
    },
    "SUB-EDU-BASIC": {
        "leaders": [("focal_point", ["EU", "UNICEF"], "2027-06-30", None, 2),
                    ("vice_focal_point", ["Australia"], "2027-06-30", None, 2)],
        "others": [("Save the Children", "active"), ("JICA", "active"), ("World Bank", "attending"),
                   ("iNGO Network", "attending"), ("KOICA", "informed")],
    },
    "SUB-EDU-PB": {
        "leaders": [("focal_point", ["Australia"], "2028-06-30", None, 2)],
        "others": [("ADB", "active"), ("GIZ", "active"), ("Switzerland (SDC)", "active"),
                   ("EU", "attending"), ("KOICA", "attending"), ("National University of Laos", "attending"),
                   ("ILO", "informed")],
    },
    "SUB-EDU-EMAPA": {
        "leaders": [("focal_point", ["EU"], "2027-09-30", "UNICEF", 2)],
        "others": [("UNICEF", "active"), ("Australia", "active"), ("World Bank", "attending")],
    },
    "SUB-EDU-ERA": {       # never met; focal point term ran out
        "leaders": [("focal_point", ["UNICEF"], "2024-08-31", None, 3)],
        "others": [("Australia", "active"), ("KOICA", "active"),
                   ("National University of Laos", "active"), ("EU", "informed")],
    },
    "SUB-EDU-SPORTS": {
        "leaders": [("focal_point", ["KOICA"], "2026-12-31", None, 2)],
        "others": [("Japan", "active"), ("JICA", "active"), ("Australia", "informed")],
    },
    "SUB-EDU-TVET": {
        "leaders": [("focal_point", ["Switzerland (SDC)"], None, None, 2)],
        "others": [("ADB", "active"), ("Luxembourg", "active"), ("ILO", "attending")],
    },
    "SUB-GOV-PSI": {
        "leaders": [("focal_point", ["UNDP"], "2028-06-30", None, 2),
                    ("vice_focal_point", ["Switzerland (SDC)"], "2028-06-30", None, 2)],
        "others": [("Australia", "active"), ("Germany", "active"), ("EU", "attending"),
                   ("Japan", "attending"), ("KOICA", "informed")],
    },
    "SUB-GOV-LIO": {
        "leaders": [("focal_point", ["EU", "Germany"], "2026-06-30", None, 2)],
        "others": [("UNDP", "active"), ("Switzerland (SDC)", "active"), ("Japan", "attending"),
                   ("United States", "informed")],
    },
    "SUB-INFRA-DEV": {
        "leaders": [("focal_point", ["ADB"], "2027-12-31", None, 2)],
        "others": [("JICA", "active"), ("EU", "active"), ("KOICA", "attending")],
    },
    "SUB-INFRA-TRANS": {
        "leaders": [("focal_point", ["ADB", "World Bank"], "2028-06-30", None, 2),
                    ("vice_focal_point", ["JICA"], "2028-06-30", None, 2)],
        "others": [("Japan", "active"), ("Australia", "active"), ("EU", "attending"),
                   ("KOICA", "attending"), ("France", "informed")],
    },
    "SUB-INFRA-WSUD": {    # gap: too few active development partners
        "leaders": [("focal_point", ["ADB"], "2029-06-30", None, 3)],
        "others": [("Luxembourg", "attending"), ("UNICEF", "attending"), ("KOICA", "attending"),
                   ("JICA", "informed"), ("World Bank", "informed")],
    },
    "SUB-INFRA-URB": {
        "leaders": [("focal_point", ["ADB"], None, None, 2)],
        "others": [("JICA", "active"), ("World Bank", "active")],
    },
    "SUB-DRUG-CRIME": {    # gap: too few active development partners
        "leaders": [("focal_point", ["UNODC"], None, None, 2)],
        "others": [("Australia", "attending"), ("United States", "attending"), ("Japan", "informed")],
    },
    "SUB-AGRI-FAB": {
        "leaders": [("focal_point", ["FAO", "GIZ"], "2027-12-31", None, 2)],
        "others": [("ADB", "active"), ("France", "active"), ("JICA", "attending"), ("KOICA", "informed")],
    },
    "SUB-AGRI-ABD": {
        "leaders": [("focal_point", ["Switzerland (SDC)"], "2025-12-31", None, 3)],
        "others": [("FAO", "active"), ("France", "active"), ("GIZ", "attending")],
    },
    "SUB-AGRI-FOR": {
        "leaders": [("focal_point", ["GIZ", "Germany"], "2028-06-30", None, 2),
                    ("vice_focal_point", ["JICA"], "2028-06-30", None, 2)],
        "others": [("FAO", "active"), ("World Bank", "active"), ("KOICA", "attending"), ("EU", "informed")],
    },
    "SUB-AGRI-RD": {
        "leaders": [("focal_point", ["EU", "World Bank"], "2027-03-31", "EU", 2)],
        "others": [("FAO", "active"), ("Luxembourg", "active"), ("Switzerland (SDC)", "active"),
                   ("JICA", "attending"), ("iNGO Network", "attending"), ("Germany", "informed")],
    },
    "SUB-AGRI-IRR": {
        "leaders": [("focal_point", ["JICA"], None, None, 2)],
        "others": [("ADB", "active"), ("KOICA", "active"), ("FAO", "attending")],
    },
    "SUB-TRADE-TF": {
        "leaders": [("focal_point", ["EU"], None, None, 2)],
        "others": [("GIZ", "active"), ("United States", "active")],
    },
    "SUB-NRE-LAND": {
        "leaders": [("focal_point", ["GIZ"], None, None, 2)],
        "others": [("Switzerland (SDC)", "active"), ("Australia", "active"), ("FAO", "attending")],
    },
    "TF-REVITAL": {
        "leaders": [("co_chair", ["UNDP"], "2027-06-30", None, 2)],
        "others": [("World Bank", "active"), ("Japan", "active"), ("EU", "active"),
                   ("Australia", "attending"), ("Switzerland (SDC)", "attending"),
                   ("iNGO Network", "informed")],
    },
    "TF-RTIM2024": {
        "leaders": [("co_chair", ["UNDP"], None, None, 2)],
        "others": [("Japan", "active"), ("EU", "active"), ("World Bank", "attending")],
    },
    "TF-MAPPING": {
        "leaders": [("co_chair", ["EU"], "2026-08-31", None, 2)],
        "others": [("UNDP", "active"), ("Japan", "active"), ("Australia", "informed")],
    },
    "TF-LDC": {
        "leaders": [("co_chair", ["UNDP"], "2028-11-30", None, 2)],
        "others": [("EU", "active"), ("Japan", "active")],
    },
}

# An "active" member that rarely turns up: (group_id, organisation)
RARELY_PRESENT = ("SWG-EDU", "Luxembourg")

# --------------------------------------------------------------------------
# National plans and alignment
# --------------------------------------------------------------------------

PLAN_9 = "9th NSEDP 2021-2025"
PLAN_10 = "10th NSEDP 2026-2030"

PILLARS = [
    (PLAN_9, "NSEDP9-O1", "Continuous, quality, stable and sustainable economic growth"),
    (PLAN_9, "NSEDP9-O2", "Improved quality of human resources"),
    (PLAN_9, "NSEDP9-O3", "Enhanced well-being of the people"),
    (PLAN_9, "NSEDP9-O4", "Environmental protection and disaster risk reduction"),
    (PLAN_9, "NSEDP9-O5", "Regional and international cooperation and integration"),
    (PLAN_9, "NSEDP9-O6", "Public governance and administration"),
    (PLAN_10, "NSEDP10-G1", "Independent, self-reliant economy"),
    (PLAN_10, "NSEDP10-G2", "High-quality human resources"),
    (PLAN_10, "NSEDP10-G3", "Living standards and poverty reduction"),
    (PLAN_10, "NSEDP10-G4", "Environment and climate resilience"),
    (PLAN_10, "NSEDP10-G5", "Regional and international integration"),
    (PLAN_10, "NSEDP10-G6", "State governance effectiveness"),
]

# group_id -> (NSEDP 9 outcomes, NSEDP 10 goals); the first one is primary.
# O5/G5 is the gap: only dormant, closed or future groups are aligned to it.
ALIGNMENT = {
    "SWG-HEALTH": (["O3", "O2"], ["G3", "G2"]),
    "SWG-EDU": (["O2"], ["G2"]),
    "SWG-GOV": (["O6", "O3"], ["G6"]),
    "SWG-INFRA": (["O1", "O4"], ["G1", "G4"]),
    "SWG-UXO": (["O3"], ["G3"]),
    "SWG-DRUG": (["O6", "O3"], ["G6", "G3"]),
    "SWG-AGRI": (["O1", "O3"], ["G1", "G3"]),
    "SWG-MACRO": (["O1", "O6"], ["G1", "G6"]),
    "SWG-TRADE": (["O5", "O1"], ["G5", "G1"]),
    "SWG-NRE": (["O4"], ["G4"]),
    "SUB-HEALTH-HPF": (["O3"], ["G3"]),
    "SUB-HEALTH-HRH": (["O2"], ["G2"]),
    "SUB-HEALTH-MCHN": (["O3"], ["G3"]),
    "SUB-HEALTH-HC": (["O3"], ["G3"]),
    "SUB-HEALTH-FD": (["O3"], ["G3"]),
    "SUB-HEALTH-HHP": (["O3"], ["G3"]),
    "SUB-HEALTH-HIS": (["O6"], []),
    "SUB-EDU-BASIC": (["O2"], ["G2"]),
    "SUB-EDU-PB": (["O2"], ["G2"]),
    "SUB-EDU-EMAPA": (["O2"], ["G2"]),
    "SUB-EDU-ERA": (["O2"], ["G2"]),
    "SUB-GOV-PSI": (["O6"], ["G6"]),
    "SUB-GOV-LIO": (["O6"], ["G6"]),
    "SUB-INFRA-DEV": (["O1"], ["G1"]),
    "SUB-INFRA-TRANS": (["O1"], ["G1"]),
    "SUB-INFRA-WSUD": (["O4"], ["G3"]),
    "SUB-DRUG-CRIME": (["O6"], ["G6"]),
    "SUB-AGRI-FAB": (["O1"], ["G1"]),
    "SUB-AGRI-ABD": (["O4"], ["G4"]),
    "SUB-AGRI-FOR": (["O4"], ["G4"]),
    "SUB-AGRI-RD": (["O3"], ["G3"]),
    "SUB-AGRI-IRR": (["O1"], []),
    "SUB-TRADE-TF": (["O5"], []),
    "TF-RTIM2024": (["O5"], []),
    "TF-LDC": ([], ["G5"]),
    # not aligned: SUB-EDU-SPORTS, SUB-EDU-TVET, SUB-INFRA-URB, SUB-NRE-LAND,
    # TF-REVITAL, TF-MAPPING
}

# --------------------------------------------------------------------------
# The 2022 SWG review: recommendations and follow-up actions
# --------------------------------------------------------------------------

REC_SOURCE = "SWG review 2022"
RECOMMENDATIONS = [
    ("REC-01", "Organising work in the groups' own interest",
     "Pre-condition: SWG 'organizing work' should be in the groups' own interests – capacity for "
     "group to deliver value to its own members, designate roles, build the group, etc."),
    ("REC-02", "Participation of local decision makers",
     "RTM discussion on requests for increased participation and involvement of local decision "
     "makers in SWG work: how to deliver on this expectation? One option is to ensure shadow "
     "consultations in preparation for the RTMs?"),
    ("REC-03", "Capacity building in technical knowledge and English",
     "Local consultations: \"Provide capacity building in technical knowledge and English\" so as "
     "to be able to develop/contribute to project development and accountability for results."),
    ("REC-04", "Transparency on donor conditionalities",
     "Transparency on donor conditionalities, better communication as to who will control project "
     "resources and why."),
    ("REC-05", "MPI planning priorities on SWG agendas",
     "MPI planning priorities (consolidated planning functions with SWG secretariates) should be on "
     "the agenda in SWG meetings – but as an ask for help not an instruction."),
    ("REC-06", "Bring informal organising work into the light",
     "Bring informal organizing work into the light – e.g., DPs that meet to prepare for SWGs should "
     "be encouraged to continue to do so but share good practices for replication."),
    ("REC-07", "Task project managers, M&E officers and TA to help the sector",
     "Identify all project managers, M&E officers and TA in all sectors and task them with part time "
     "activities to help the sector as a whole (e.g., establishing standard reporting, following up "
     "on new ideas, advocating for participation in the SWGs)."),
    ("REC-08", "Keep only useful and functioning SWGs",
     "Identify and keep only SWGs deemed useful and functioning (not dormant) to save everyone's "
     "time and efforts, and to make the most out of limited resources."),
    ("REC-09", "Governance SWG to discuss vulnerable groups",
     "SWGs for Governance as a platform to include discussions on issues related to vulnerable "
     "groups of the population."),
]

# (action_id, rec_id, group_id, description, owner, due_on, status, updated_on)
ACTIONS = [
    ("A-001", "REC-01", None, "Adopt revised ToR template for all SWGs", DIC, "2023-09-30", "done", "2023-10-12"),
    ("A-002", "REC-01", "SWG-HEALTH", "Designate secretariat roles and a DP focal point in each Health sub-SWG", "Health SWG secretariat", "2024-03-31", "done", "2024-04-20"),
    ("A-003", "REC-01", "SWG-EDU", "Agree a result-oriented annual work plan for the Education SWG", "Education SWG secretariat", "2026-03-31", "in_progress", "2026-09-15"),
    ("A-004", "REC-01", "SUB-AGRI-RD", "Prepare a short annual report against the 2025 work plan", "Agriculture SWG secretariat", "2026-06-30", "not_started", "2026-02-10"),
    ("A-005", "REC-02", None, "Hold shadow provincial consultations ahead of the February 2024 RTIM", DIC, "2024-01-31", "done", "2024-02-20"),
    ("A-006", "REC-02", "SWG-GOV", "Invite provincial Departments of Home Affairs to Governance SWG plenaries", "Governance SWG secretariat", "2027-06-30", "in_progress", "2026-07-02"),
    ("A-007", "REC-02", "SWG-AGRI", "Include provincial agriculture and forestry offices in sub-SWG meetings", "Agriculture SWG secretariat", "2025-12-31", "in_progress", "2026-05-20"),
    ("A-008", "REC-02", None, "Provincial consultations ahead of the 14th Round Table Meeting", DIC, "2025-10-31", "done", "2025-11-25"),
    ("A-009", "REC-03", None, "English and technical training for SWG secretariats", DIC, "2024-12-31", "done", "2025-01-20"),
    ("A-010", "REC-03", None, "Second round of English training for sub-SWG secretariats", "UNDP", "2026-10-31", "in_progress", "2026-10-20"),
    ("A-011", "REC-03", "SWG-HEALTH", "Results-based monitoring course for Health sub-SWG focal points", "WHO", "2025-06-30", "done", "2025-07-14"),
    ("A-012", "REC-03", "SWG-NRE", "Training on climate finance tracking for NRE SWG members", "Germany", "2026-03-31", "not_started", None),
    ("A-013", "REC-03", None, "Produce a Lao–English glossary of SWG terms", DIC, "2027-03-31", "not_started", "2026-08-01"),
    ("A-014", "REC-04", None, "Publish DP pipelines and conditionalities per sector on rtm.org.la", DIC, "2024-06-30", "dropped", "2024-09-30"),
    ("A-015", "REC-04", "SWG-MACRO", "Annual briefing by DPs on financing terms at the Macroeconomics SWG", "World Bank", "2027-03-31", "not_started", "2026-06-12"),
    ("A-016", "REC-04", "SWG-INFRA", "Share who controls project resources for the main transport loans", "ADB", "2026-06-30", "in_progress", "2026-07-30"),
    ("A-017", "REC-05", None, "Standing agenda item on the annual NSEDP plan in every SWG plenary", DIC, "2023-12-31", "done", "2024-01-15"),
    ("A-018", "REC-05", "SWG-EDU", "Align the Education SWG work plan with the 10th NSEDP results framework", "Education SWG secretariat", "2026-12-31", "in_progress", "2026-10-05"),
    ("A-019", "REC-05", "SWG-HEALTH", "Present the Health Sector Development Plan 2026-2030 to the SWG", "Health SWG secretariat", "2026-12-31", "in_progress", "2026-09-18"),
    ("A-020", "REC-05", "SWG-TRADE", "Put the 10th NSEDP trade targets on the Trade SWG agenda", MOIC, "2026-04-30", "not_started", "2025-12-01"),
    ("A-021", "REC-06", None, "Share notes of DP pre-meetings with SWG secretariats", "EU", "2027-01-31", "not_started", None),
    ("A-022", "REC-06", "SUB-HEALTH-MCHN", "Document the good practice of the MCHN donors-only meetings", "UNICEF", "2025-09-30", "dropped", "2025-10-01"),
    ("A-023", "REC-06", None, "Good-practice exchange at the meeting of SWG chairs and co-chairs", DIC, "2027-06-30", "not_started", None),
    ("A-024", "REC-07", None, "Map project managers, M&E officers and TA in all sectors", "UNDP", "2024-09-30", "done", "2024-11-12"),
    ("A-025", "REC-07", "SWG-AGRI", "Task M&E officers of DP projects with standard sector reporting", "FAO", "2025-12-31", "in_progress", "2026-04-15"),
    ("A-026", "REC-07", None, "Standard SWG reporting template used by all secretariats", DIC, "2026-09-30", "in_progress", "2026-09-29"),
    ("A-027", "REC-07", "TF-MAPPING", "Add TA positions to the development partner mapping database", "World Bank", "2025-06-30", "dropped", "2026-03-01"),
    ("A-028", "REC-08", "SWG-AGRI", "Merge dormant sub-SWGs under Agriculture SWG", "Agriculture SWG secretariat", "2023-06-30", "done", "2023-07-10"),
    ("A-029", "REC-08", None, "Review the activity of all sub-SWGs and propose merges to the National Steering Committee", DIC, "2026-12-31", "in_progress", "2026-10-30"),
    ("A-030", "REC-08", "SWG-HEALTH", "Merge the Health Information Systems sub-SWG into Health Planning and Finance", "Health SWG secretariat", "2023-06-30", "done", "2023-07-03"),
    ("A-031", "REC-08", "SUB-EDU-SPORTS", "Decide whether to close or revive the Sports sub-SWG", "Education SWG secretariat", "2025-12-31", "not_started", "2025-03-01"),
    ("A-032", "REC-08", None, "National Steering Committee approves the revitalised SWG mechanism", DIC, "2027-03-31", "in_progress", "2026-10-15"),
    ("A-033", "REC-08", "TF-RTIM2024", "Close the RTIM 2024 Preparation Task Force after the meeting", DIC, "2024-12-31", "done", "2025-01-08"),
    ("A-034", "REC-09", "SWG-GOV", "Add a standing item on vulnerable groups to the Governance SWG agenda", "Governance SWG secretariat", "2023-12-31", "done", "2024-01-30"),
    ("A-035", "REC-09", "SWG-GOV", "Invite the Lao Disabled People's Association to Governance SWG plenaries", "UNDP", "2024-06-30", "done", "2024-03-05"),
    ("A-036", "REC-09", "SWG-GOV", "Joint study on access to justice for vulnerable groups", "Switzerland (SDC)", "2027-06-30", "in_progress", "2026-09-01"),
    ("A-037", "REC-09", None, "Gender and disability checklist for SWG agendas", "UNFPA", "2025-12-31", "dropped", "2025-06-15"),
]

# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------

URL_BASE = "https://rtm.org.la/swg"
SHARE_BASE = "\\\\dic-server\\swg"          # i.e. \\dic-server\swg
TOR_MISSING = ["SUB-EDU-ERA", "SUB-GOV-LIO", "SUB-HEALTH-FD", "SUB-INFRA-URB",
               "SUB-NRE-LAND", "TF-MAPPING", "TF-LDC"]
TOR_REVISED_2023 = ["SWG-HEALTH", "SWG-EDU", "SWG-GOV", "SWG-INFRA", "SWG-UXO",
                    "SWG-AGRI", "SWG-MACRO", "SWG-NRE", "SUB-HEALTH-HPF",
                    "SUB-EDU-BASIC", "SUB-AGRI-RD"]
ANNUAL_REPORTS = {
    2024: ["SWG-HEALTH", "SWG-EDU", "SWG-MACRO", "SUB-HEALTH-HPF", "SUB-HEALTH-MCHN"],
    2025: ["SWG-HEALTH", "SWG-EDU", "SWG-GOV", "SWG-INFRA", "SWG-AGRI", "SWG-MACRO",
           "SUB-HEALTH-HPF", "SUB-HEALTH-MCHN", "SUB-EDU-BASIC", "SUB-AGRI-RD"],
}
# Titles written in Lao script with English (group_id, doc_type, year) -> title
LAO_TITLES = {
    ("SWG-HEALTH", "workplan", 2026): "ແຜນວຽກປະຈຳປີ 2026 — Annual work plan 2026",
    ("SWG-EDU", "workplan", 2026): "ແຜນວຽກປະຈຳປີ 2026 — Annual work plan 2026",
    ("SWG-EDU", "annual_report", 2025): "ບົດລາຍງານປະຈຳປີ 2025 — Annual report 2025",
}
LAO_MINUTES_GROUP = "SUB-AGRI-RD"   # its latest minutes get a Lao title
LAO_MINUTES = "ບົດບັນທຶກກອງປະຊຸມ — Minutes of the meeting of {date}"
OTHER_DOCUMENTS = [
    ("SWG-MACRO", "other", 2022, "2022-11-16",
     "Recommendations from the Sector Working Groups Review (chairs and co-chairs meeting)",
     "https://rtm.org.la/documents/swg-review-2022-recommendations.pdf"),
    ("TF-REVITAL", "other", 2023, "2023-07-28",
     "Roadmap for the revitalisation of the SWG mechanism", ""),
    ("TF-RTIM2024", "other", 2024, "2024-12-10",
     "RTIM 2024 preparation: lessons learned", SHARE_BASE + "\\TF-RTIM2024\\lessons_learned.docx"),
]

# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:          # 29 February
        return day.replace(year=day.year + years, day=28)


def weekday(day: dt.date) -> dt.date:
    """Move New Year's Day to the 3rd, a Saturday or Sunday back to the Friday before."""
    if (day.month, day.day) == (1, 1):
        day = day.replace(day=3)
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return weekday(start + dt.timedelta(days=rng.randint(0, (end - start).days)))


def fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def org_type(org: str) -> str:
    if org in DEVELOPMENT_PARTNERS:
        return "development_partner"
    if org in CIVIL_SOCIETY:
        return "civil_society"
    if org in PRIVATE_SECTOR:
        return "private_sector"
    if org in OTHER_ORGS:
        return "other"
    return "government"


GROUP_BY_ID = {g[0]: g for g in GROUPS}


def group_kind(gid: str) -> str:
    return GROUP_BY_ID[gid][2]


def group_name(gid: str) -> str:
    return GROUP_BY_ID[gid][1]


def group_span(gid: str) -> tuple[dt.date, dt.date | None]:
    g = GROUP_BY_ID[gid]
    return d(g[7]), d(g[8])


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def make_groups() -> list[dict]:
    cols = COLUMNS["groups"]
    return [dict(zip(cols, g)) for g in GROUPS]


def plenary_candidates(rng: random.Random) -> list[tuple[dt.date, str]]:
    """SWG plenaries: before national events, a mid-year meeting, few in 2020."""
    out = []
    for event, _label in NATIONAL_EVENTS:
        if rng.random() < 0.9:
            day = weekday(d(event) - dt.timedelta(days=rng.randint(7, 42)))
            out.append((day, "minister" if rng.random() < 0.55 else "vice_minister"))
    for year in range(FIRST_YEAR, 2027):
        if year == 2020:    # COVID-19: one virtual plenary at most
            if rng.random() < 0.5:
                out.append((random_day(rng, dt.date(2020, 9, 1), dt.date(2020, 12, 15)), "vice_minister"))
            continue
        if rng.random() < 0.6:
            out.append((random_day(rng, dt.date(year, 5, 1), dt.date(year, 8, 31)),
                        "vice_minister" if rng.random() < 0.7 else "minister"))
        if rng.random() < 0.15:
            out.append((random_day(rng, dt.date(year, 2, 1), dt.date(year, 4, 15)), "vice_minister"))
    return out


def quarterly_candidates(rng: random.Random, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Sub-SWGs: about one meeting a quarter, sometimes two; fewer in 2020."""
    out = []
    for year in range(start.year, end.year + 1):
        for quarter in range(4):
            covid = year == 2020 and quarter > 0
            q_start = dt.date(year, 3 * quarter + 1, 1)
            q_end = dt.date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1) - dt.timedelta(days=1)
            for chance in ((0.35, 0.05) if covid else (0.9, 0.6)):
                if rng.random() < chance:
                    out.append((random_day(rng, q_start, q_end),
                                "director_general" if rng.random() < 0.55 else "technical"))
    return out


def monthly_candidates(rng: random.Random, start: dt.date, end: dt.date, chance: float) -> list[tuple[dt.date, str]]:
    """Task forces meet often while they exist."""
    out = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        if rng.random() < chance:
            out.append((random_day(rng, month, nxt - dt.timedelta(days=1)),
                        "director_general" if rng.random() < 0.4 else "technical"))
        month = nxt
    return out


PARTICIPANTS = {"minister": (45, 90), "vice_minister": (30, 75),
                "director_general": (15, 45), "technical": (8, 30), None: (8, 22)}


def meeting_details(rng: random.Random, day: dt.date, form: str, level: str | None) -> dict:
    low, high = PARTICIPANTS[level]
    participants = None if rng.random() < 0.02 else rng.randint(low, high)
    r = rng.random()
    if form == "joint":
        minutes = True if r < 0.8 else (False if r < 0.95 else None)
    else:
        minutes = True if r < 0.2 else (False if r < 0.9 else None)
    r = rng.random()
    on_time, late = (0.85, 0.93) if form == "joint" else (0.5, 0.75)
    if r < on_time:
        agenda = day - dt.timedelta(days=rng.randint(7, 21 if form == "joint" else 14))
    elif r < late:
        agenda = day - dt.timedelta(days=rng.randint(2, 6))
    else:
        agenda = None
    return {"date": day, "format": form, "level": level, "participants": participants,
            "minutes_published": minutes, "agenda_sent_on": agenda}


def group_meetings(rng: random.Random, gid: str) -> list[dict]:
    last = d(LAST_MEETING[gid])
    if last is None:
        return []
    established, _closed = group_span(gid)
    start = max(established, dt.date(FIRST_YEAR, 1, 1))
    kind = group_kind(gid)
    if kind == "swg":
        candidates = plenary_candidates(rng)
        first_level = "vice_minister"
    elif kind == "sub_swg":
        candidates = quarterly_candidates(rng, start, last)
        first_level = "director_general"
    else:
        candidates = monthly_candidates(rng, start, last, 0.85 if gid == "TF-RTIM2024" else 0.55)
        first_level = "director_general"
    # keep candidates inside the group's life, well before its last meeting
    joint = {}
    for day, level in sorted(candidates):
        if start <= day <= last - dt.timedelta(days=14) and day not in joint:
            joint[day] = level
    joint[last] = first_level if kind != "swg" else "vice_minister"
    if kind == "swg":
        donors_chance = 0.4
    elif gid in DONORS_ONLY_SUBS:
        donors_chance = 0.35
    else:
        donors_chance = 0.0
    meetings = []
    for day in sorted(joint):
        meetings.append(meeting_details(rng, day, "joint", joint[day]))
        if rng.random() < donors_chance:
            prep = weekday(day - dt.timedelta(days=rng.randint(3, 14)))
            if prep >= start and prep not in joint and prep != day:
                meetings.append(meeting_details(rng, prep, "donors_only", None))
    for m in meetings:
        m["group_id"] = gid
    return meetings


def make_meetings(rng: random.Random) -> list[dict]:
    order = {g[0]: i for i, g in enumerate(GROUPS)}
    meetings = []
    for g in GROUPS:
        meetings.extend(group_meetings(rng, g[0]))
    meetings.sort(key=lambda m: (m["date"], order[m["group_id"]], m["format"]))
    for i, m in enumerate(meetings, start=1):
        m["meeting_id"] = f"M-{i:05d}"
    return meetings


def seat_terms(gid: str, holders: list[str], current_end: str | None, years: int,
               successor: str | None) -> list[tuple[str, dt.date, dt.date | None]]:
    """Terms of one leadership seat, oldest first, as (organisation, start, end)."""
    established, closed = group_span(gid)
    floor = max(established, d(MEMBER_HISTORY_FROM))
    if closed is not None or current_end is None:
        start = max(established, min(floor, dt.date(2020, 1, 1)))
        return [(holders[-1], start, closed)]
    terms = []
    end = d(current_end)
    while True:
        start = add_years(end, -years) + dt.timedelta(days=1)
        holder = holders[-1 - len(terms) % len(holders)]
        terms.append((holder, max(start, established), end))
        if start <= floor:
            break
        end = start - dt.timedelta(days=1)
    terms.reverse()
    if successor:
        end = d(current_end)
        terms.append((successor, end + dt.timedelta(days=1), add_years(end, years)))
    return terms


def make_members(rng: random.Random) -> list[dict]:
    rows = []
    for g in GROUPS:
        gid, kind, chair = g[0], g[2], g[4]
        established, closed = group_span(gid)
        spec = MEMBERS[gid]

        def add(org, role, start, end):
            if closed is not None:
                end = closed if end is None or end > closed else end
            rows.append({"group_id": gid, "organisation": org, "org_type": org_type(org),
                         "role": role, "start_on": start, "end_on": end})

        add(chair, "chair", established, None)
        if kind == "swg":
            add(DIC, "secretariat", established, None)
        future_start = {}
        for role, holders, current_end, successor, years in spec["leaders"]:
            for org, start, end in seat_terms(gid, holders, current_end, years, successor):
                add(org, role, start, end)
                if start > d(DEMO_AS_OF):
                    future_start[org] = start
        for other in spec["others"]:
            org, role = other[0], other[1]
            if len(other) == 4:
                start, end = d(other[2]), d(other[3])
            else:
                r = rng.random()
                if r < 0.6 or closed is not None or established > dt.date(2022, 1, 1):
                    start = established
                elif r < 0.9:
                    start = random_day(rng, max(established, dt.date(2016, 1, 1)), dt.date(2024, 6, 30))
                else:
                    start = None
                end = None
            if org in future_start:          # becomes a leader later
                end = future_start[org] - dt.timedelta(days=1)
            add(org, role, start, end)
    return rows


PRESENCE = {"chair": 0.95, "secretariat": 0.85, "co_chair": 0.92, "focal_point": 0.92,
            "vice_focal_point": 0.8, "active": 0.8, "attending": 0.5, "informed": 0.08}


def covers(member: dict, day: dt.date) -> bool:
    start, end = member["start_on"], member["end_on"]
    return (start is None or start <= day) and (end is None or day <= end)


def make_attendance(rng: random.Random, meetings: list[dict], members: list[dict]) -> list[dict]:
    by_group = {}
    for m in members:
        by_group.setdefault(m["group_id"], []).append(m)
    rows = []
    for meeting in meetings:
        seen = set()
        for m in by_group[meeting["group_id"]]:
            org = m["organisation"]
            if org in seen or not covers(m, meeting["date"]):
                continue
            seen.add(org)
            chance = PRESENCE[m["role"]]
            if (meeting["group_id"], org) == RARELY_PRESENT:
                chance = 0.12
            if meeting["format"] == "donors_only" and m["org_type"] != "development_partner":
                chance = 0.0
            rows.append({"meeting_id": meeting["meeting_id"], "organisation": org,
                         "present": rng.random() < chance})
    return rows


def make_pillars() -> list[dict]:
    return [dict(zip(COLUMNS["pillars"], p)) for p in PILLARS]


def make_alignment() -> list[dict]:
    rows = []
    for gid, (outcomes, goals) in ALIGNMENT.items():
        for prefix, pillars in (("NSEDP9-", outcomes), ("NSEDP10-", goals)):
            for i, pillar in enumerate(pillars):
                rows.append({"group_id": gid, "pillar_id": prefix + pillar, "primary": i == 0})
    return rows


def make_recommendations() -> list[dict]:
    return [{"rec_id": r, "title": t, "source": REC_SOURCE, "text": x} for r, t, x in RECOMMENDATIONS]


def make_actions() -> list[dict]:
    return [dict(zip(COLUMNS["actions"], a)) for a in ACTIONS]


def document_url(rng: random.Random, gid: str, stem: str) -> str:
    r = rng.random()
    if r < 0.10:
        return ""
    if r < 0.12:
        return f"{SHARE_BASE}\\{gid}\\{stem.replace('-', '_')}.docx"
    return f"{URL_BASE}/{gid.lower()}/{stem}.pdf"


def make_documents(rng: random.Random, meetings: list[dict]) -> list[dict]:
    as_of = d(DEMO_AS_OF)
    rows = []

    def add(gid, doc_type, year, issued, title, url):
        title = LAO_TITLES.get((gid, doc_type, year), title)
        rows.append({"group_id": gid, "doc_type": doc_type, "year": year,
                     "issued_on": issued, "title": title, "url": url})

    joint_by_group_year = {}
    for m in meetings:
        if m["format"] == "joint":
            key = (m["group_id"], m["date"].year)
            joint_by_group_year[key] = joint_by_group_year.get(key, 0) + 1

    for g in GROUPS:
        gid, name = g[0], g[1]
        established, closed = group_span(gid)
        if gid not in TOR_MISSING:
            add(gid, "tor", established.year, established, f"Terms of reference — {name}",
                document_url(rng, gid, f"tor-{established.year}"))
            if gid in TOR_REVISED_2023:
                add(gid, "tor", 2023, random_day(rng, dt.date(2023, 7, 1), dt.date(2023, 12, 15)),
                    f"Revised terms of reference (2023) — {name}", document_url(rng, gid, "tor-2023"))
        for year in range(FIRST_YEAR, 2027):
            forced = (gid, "workplan", year) in LAO_TITLES
            if forced or (joint_by_group_year.get((gid, year), 0) >= 2 and rng.random() < 0.65):
                add(gid, "workplan", year, random_day(rng, dt.date(year, 1, 10), dt.date(year, 3, 31)),
                    f"Annual work plan {year} — {name}", document_url(rng, gid, f"workplan-{year}"))
        for year, groups in ANNUAL_REPORTS.items():
            if gid in groups:
                add(gid, "annual_report", year,
                    random_day(rng, dt.date(year + 1, 1, 15), dt.date(year + 1, 3, 31)),
                    f"Annual report {year} — {name}", document_url(rng, gid, f"annual-report-{year}"))

    minutes = []
    for m in meetings:
        if m["format"] == "joint" and m["minutes_published"] and rng.random() < 0.3:
            issued = m["date"] + dt.timedelta(days=rng.randint(5, 30))
            if issued <= as_of:
                minutes.append((m, issued))
    lao_minutes = max((m["date"] for m, _ in minutes if m["group_id"] == LAO_MINUTES_GROUP), default=None)
    for m, issued in minutes:
        gid, day = m["group_id"], m["date"]
        title = f"Minutes of the {group_name(gid)} meeting of {day.isoformat()}"
        if gid == LAO_MINUTES_GROUP and day == lao_minutes:
            title = LAO_MINUTES.format(date=day.isoformat())
        add(gid, "minutes", day.year, issued, title, document_url(rng, gid, f"minutes-{day.isoformat()}"))

    for gid, doc_type, year, issued, title, url in OTHER_DOCUMENTS:
        add(gid, doc_type, year, d(issued), title, url)
    order = {g[0]: i for i, g in enumerate(GROUPS)}
    rows.sort(key=lambda r: (order[r["group_id"]], r["year"], r["doc_type"],
                             r["issued_on"] or dt.date.min))
    return rows


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def write_table(out_dir: Path, table: str, rows: list[dict]) -> None:
    cols = COLUMNS[table]
    with open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(cols)
        for row in rows:
            writer.writerow([fmt(row.get(c)) for c in cols])
    print(f"wrote {out_dir / (table + '.csv')} ({len(rows)} rows)")


def make_all() -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    meetings = make_meetings(rng)
    members = make_members(rng)
    return {
        "groups": make_groups(),
        "meetings": meetings,
        "members": members,
        "attendance": make_attendance(rng, meetings, members),
        "pillars": make_pillars(),
        "alignment": make_alignment(),
        "recommendations": make_recommendations(),
        "actions": make_actions(),
        "documents": make_documents(rng, meetings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "data" / "demo",
                        help="folder to write the CSV files to (default: data/demo)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for table, rows in make_all().items():
        write_table(args.out, table, rows)


if __name__ == "__main__":
    main()
