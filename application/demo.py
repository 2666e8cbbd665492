"""The demo dataset, as code: donors, certificates and aid cases built only through Services.

Everything is deterministic for a given ``today``: a seeded random generator picks amounts,
districts and decision numbers, and every effective date is computed back from ``today`` so
that each case ends in its intended state and trips exactly the compliance checks it is meant
to (``DemoSummary.intended_flags``). Rule guards are broken only through explicit, evidenced
deviations (SPEC §2.1), as an office would record a fact that really happened.

The steps of every donor and case are executed in business-date order across the whole
dataset, so the event log reads like years of real work (a certificate suspended last month
is recorded after the cases that were running under it).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from application.commands.base import CaseCommand, DonorCommand
from application.commands.catalog import command_type
from application.commands.opening import OpenCase, RegisterDonor
from application.services import Services
from domain import policy
from domain.case import AidCase
from domain.donor import Donor
from domain.errors import NotFoundError
from domain.money import Money, quantize_for
from domain.rules import HEAD_OF_MANAGING_AGENCY, MINISTER_HOME_AFFAIRS, PRIME_MINISTER
from domain.values import (
    AID_OWNER,
    APPROVER,
    AUDITOR,
    FOCAL_OFFICER,
    REGISTRY_OFFICER,
    Actor,
    Deviation,
    Document,
)

SEED = 20251208
# The first donor the demo registers: when it exists, the demo is (being) loaded.
MARKER_DONOR = "WATERBRIDGE-US"
VND_RATES: dict[str, Decimal | None] = {
    "USD": Decimal("25400"), "EUR": Decimal("27600"), "JPY": Decimal("168"), "VND": None}
_PER_USD = {"USD": Decimal(1), "EUR": Decimal("0.92"), "JPY": Decimal(150),
            "VND": Decimal(25400)}
_ROUND_TO = {"USD": 500, "EUR": 500, "JPY": 100_000, "VND": 10_000_000}
VICE_CHAIR = "vice_chair_provincial_peoples_committee"  # rules/provinces/BN.toml delegation
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoSummary:
    """What ``load_demo`` recorded (or found, when the demo was already loaded)."""

    donors: int
    cases: int
    events: int
    by_state: dict[str, int]
    # Case reference -> the compliance codes meant to be open on ``today`` (empty: a clean
    # case). History aside: the revoked cases also carry a C07 resolved by their revocation.
    intended_flags: dict[str, list[str]]
    by_form: dict[str, int] = field(default_factory=dict)
    by_currency: dict[str, int] = field(default_factory=dict)
    already_loaded: bool = False


# --- the cast ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Province:
    name: str
    agency: str
    districts: tuple[str, ...]
    owner: Actor
    focal: Actor
    chair: Actor


def _province(code: str, name: str, agency: str, districts: tuple[str, ...],
              people: tuple[str, str, str]) -> _Province:
    c = code.lower()
    return _Province(name, agency, districts, Actor(f"{c}.aidofficer.{people[0]}", AID_OWNER),
                     Actor(f"{c}.dofa.{people[1]}", FOCAL_OFFICER),
                     Actor(f"{c}.ppc.chair.{people[2]}", APPROVER))


PROVINCES = {
    "BN": _province("BN", "Bac Ninh", "Bac Ninh Provincial People's Committee",
                    ("Thuan Thanh", "Gia Binh", "Luong Tai", "Que Vo", "Tien Du"),
                    ("thu", "hai", "quang")),
    "HN": _province("HN", "Ha Noi", "Ha Noi City People's Committee",
                    ("Ba Vi", "Soc Son", "My Duc", "Chuong My", "Quoc Oai"),
                    ("minh", "trang", "tuan")),
    "QN": _province("QN", "Quang Nam", "Quang Nam Provincial People's Committee",
                    ("Nam Tra My", "Tay Giang", "Duy Xuyen", "Dai Loc", "Phuoc Son"),
                    ("phuong", "son", "dung")),
    "TH": _province("TH", "Thanh Hoa", "Thanh Hoa Provincial People's Committee",
                    ("Muong Lat", "Quan Hoa", "Ba Thuoc", "Nga Son", "Thuong Xuan"),
                    ("nam", "linh", "hung")),
    "CT": _province("CT", "Can Tho", "Can Tho City People's Committee",
                    ("Phong Dien", "Co Do", "Thoi Lai", "Vinh Thanh", "O Mon"),
                    ("khanh", "vy", "long")),
}
REGISTRY = Actor("mofa.registry.ha", REGISTRY_OFFICER)
STATE_AUDITOR = Actor("sav.auditor.binh", AUDITOR)
BN_VICE_CHAIR = Actor("bn.ppc.vicechair.lan", APPROVER)
CENTRAL_APPROVERS = {
    PRIME_MINISTER: (Actor("pm.office.approval", APPROVER), "Prime Minister", "QD-TTg"),
    MINISTER_HOME_AFFAIRS: (Actor("moha.minister.office", APPROVER),
                            "Minister of Home Affairs", "QD-BNV"),
    "vff_president": (Actor("vff.president.office", APPROVER), "President of the Central "
                      "Committee of the Vietnam Fatherland Front", "QD-MTTW"),
}
# Demo users for the API (``aidtrail demo load --tokens``): nobody in the dataset, so that a
# person trying the API never breaks segregation of duties by accident.
DEMO_USERS = {
    "aid_owner": "demo.aid-owner", "focal_officer": "demo.focal-officer",
    "approver": "demo.approver", "registry_officer": "demo.registry-officer",
    "auditor": "demo.auditor", "viewer": "demo.viewer",
}


@dataclass(frozen=True)
class _Cert:
    number: str
    kind: str
    issued_months_ago: int
    provinces: tuple[str, ...]
    fields: tuple[str, ...]
    expires_in_days: int | None = None  # None: the longest the kind allows, less one day


@dataclass(frozen=True)
class _Donor:
    code: str
    name: str
    country: str
    kind: str
    certs: tuple[_Cert, ...] = ()
    suspended_days_ago: int | None = None
    revoked_days_ago: int | None = None


ALL = ("BN", "HN", "QN", "TH", "CT")
DONORS = (
    _Donor(MARKER_DONOR, "WaterBridge International", "US", "foreign_ngo", (
        _Cert("RO-112/2022/BNG", "representative_office", 50, ALL,
              ("12", "14", "31", "43", "72", "74")),)),
    _Donor("KINDERHILFE-DE", "Kinderhilfe Mekong e.V.", "DE", "foreign_ngo", (
        _Cert("RO-087/2023/BNG", "representative_office", 44, ("BN", "HN", "TH", "CT"),
              ("11", "12", "15")),)),
    _Donor("SAKURA-JP", "Sakura Friendship Association", "JP", "foreign_ngo", (
        _Cert("OP-041/2021/BNG", "operation", 58, ("BN", "HN", "QN"), ("11", "12", "43")),
        _Cert("OP-229/2024/BNG", "operation", 26, ("BN", "HN", "QN"), ("11", "12", "43")))),
    _Donor("HORIZON-AU", "Horizon Relief Network", "AU", "foreign_ngo", (
        _Cert("RO-133/2023/BNG", "representative_office", 40, ("QN", "TH", "CT"),
              ("14", "43", "72", "73", "74")),)),
    _Donor("LOTUS-NL", "Lotus Children's Foundation", "NL", "foreign_ngo", (
        _Cert("OP-305/2023/BNG", "operation", 0, ("BN", "HN"), ("11", "12"),
              expires_in_days=55),)),
    _Donor("GREENDELTA-CH", "Green Delta Alliance", "CH", "foreign_ngo", (
        _Cert("RO-064/2022/BNG", "representative_office", 46, ("CT", "TH"),
              ("31", "41", "43")),), suspended_days_ago=21),
    _Donor("BRIGHTPATH-US", "BrightPath Vocational Trust", "US", "foreign_ngo", (
        _Cert("OP-178/2024/BNG", "operation", 30, ("QN", "HN"), ("11", "16")),),
           revoked_days_ago=40),
    _Donor("HANBIT-KR", "Hanbit Medical Volunteers", "KR", "foreign_ngo", (
        _Cert("OP-212/2024/BNG", "operation", 26, ("TH", "CT", "QN"), ("12",)),)),
    _Donor("LUMIERE-FR", "Fondation Lumiere pour le Vietnam", "FR", "foreign_ngo", (
        _Cert("RO-019/2022/BNG", "representative_office", 52, ALL,
              ("11", "12", "14", "15", "16")),)),
    _Donor("JP-EMBASSY", "Embassy of Japan in Viet Nam (grassroots grants)", "JP",
           "foreign_government"),
    _Donor("MRHF", "Mekong Regional Humanitarian Fund", "TH", "multilateral"),
)


# --- what the cases are about -------------------------------------------------------------------

@dataclass(frozen=True)
class _Theme:
    titles: tuple[str, ...]
    sectors: tuple[tuple[tuple[str, int], ...], ...]
    owner: str
    usd: tuple[int, int]


THEMES = {
    "water": _Theme(("Clean water and sanitation for {n} communes of {d} district",
                     "Rural water supply scheme in {d} district",
                     "Household latrines and hygiene promotion in {d} district"),
                    ((("14030", 100),), (("14031", 60), ("14032", 40))),
                    "{p} Centre for Rural Water Supply and Environmental Sanitation",
                    (120_000, 900_000)),
    "school_meals": _Theme(("School meals for ethnic-minority pupils in {d} district",
                            "Semi-boarding school kitchens in {d} district"),
                           ((("11220", 60), ("12240", 40)),),
                           "{p} Department of Education and Training", (80_000, 400_000)),
    "education": _Theme(("Inclusive primary education in {d} district",
                         "Classrooms for {n} satellite schools in {d} district",
                         "Early childhood education for ethnic-minority children in {d} "
                         "district"),
                        ((("11220", 100),), (("11120", 60), ("11240", 40))),
                        "{p} Department of Education and Training", (100_000, 700_000)),
    "health": _Theme(("Maternal and newborn health care in {d} district",
                      "Strengthening commune health stations in {d} district",
                      "Tuberculosis screening and care in {d} district"),
                     ((("12220", 100),), (("12220", 60), ("12261", 40))),
                     "{p} Department of Health", (90_000, 600_000)),
    "nutrition": _Theme(("Child nutrition and stunting reduction in {d} district",),
                        ((("12240", 60), ("12261", 40)),),
                        "{p} Centre for Disease Control", (70_000, 350_000)),
    "flood": _Theme(("Flood relief for households in {d} district",
                     "Emergency shelter and food after the floods in {d} district",
                     "Early recovery after the storm in {d} district"),
                    ((("72010", 60), ("72040", 40)), (("72010", 100),), (("73010", 100),)),
                    "{p} Red Cross Society", (40_000, 300_000)),
    "disaster_prep": _Theme(("Community-based disaster risk management in {d} district",
                             "Storm-resistant houses and shelters in {d} district"),
                            ((("74020", 100),), (("74020", 60), ("43040", 40))),
                            "{p} Department of Agriculture and Environment",
                            (100_000, 600_000)),
    "agri": _Theme(("Climate-smart rice farming in {d} district",
                    "Agricultural extension for smallholders in {d} district"),
                   ((("31120", 60), ("31166", 40)), (("31161", 100),)),
                   "{p} Department of Agriculture and Environment", (100_000, 500_000)),
    "environment": _Theme(("Mangrove restoration and biodiversity in {d} district",
                           "Environmental education in {d} district schools"),
                          ((("41030", 100),), (("41030", 60), ("41081", 40))),
                          "{p} Department of Agriculture and Environment",
                          (80_000, 400_000)),
    "vocational": _Theme(("Vocational training for young people with disabilities in {d} "
                          "district", "Job skills for rural youth in {d} district"),
                         ((("11330", 60), ("16020", 40)), (("11330", 100),)),
                         "{p} College of Vocational Training", (60_000, 350_000)),
    "scholarships": _Theme(("Scholarships for students from poor households in {d} district",
                            "Cash support for pupils at risk of dropping out in {d} district"),
                           ((("11220", 100),), (("11320", 100),)),
                           "{p} Department of Education and Training", (30_000, 150_000)),
    "experts": _Theme(("Volunteer surgeons and clinical training for {d} District Hospital",
                       "Visiting nursing experts for the {p} General Hospital"),
                      ((("12191", 60), ("12281", 40)),), "{p} General Hospital",
                      (50_000, 250_000)),
    "medical_goods": _Theme(("Medical equipment for commune health stations in {d} district",
                             "Ambulances and emergency equipment for {d} district"),
                            ((("12230", 100),), (("12230", 60), ("12191", 40))),
                            "{p} Department of Health", (60_000, 400_000)),
    "events": _Theme(("Workshop series on child-friendly schools in {d} district",
                      "Health education festival in {d} district"),
                     ((("11220", 100),), (("12261", 100),)),
                     "{p} Union of Friendship Organizations", (15_000, 60_000)),
    "dr_events": _Theme(("Provincial forum on disaster risk reduction",),
                        ((("74020", 100),),), "{p} Union of Friendship Organizations",
                        (20_000, 60_000)),
    "legal": _Theme(("Technical assistance for drafting the Law on Social Work",),
                    ((("15130", 100),),), "Department of Legislative Affairs, Ministry of "
                    "Justice", (150_000, 300_000)),
    "humanitarian": _Theme(("Winter relief for the poorest households",
                            "Humanitarian assistance for vulnerable households"),
                           ((("72010", 60), ("72040", 40)),),
                           "Vietnam Fatherland Front Relief Mobilisation Committee",
                           (200_000, 800_000)),
    "religion": _Theme(("Community kitchen for elderly and disabled people run by the {d} "
                        "parish charity group",), ((("16010", 100),),),
                       "{d} Parish Social Charity Group", (40_000, 120_000)),
    "uxo": _Theme(("Explosive ordnance risk education in {d} district schools",),
                  ((("15250", 60), ("11231", 40)),), "{p} Military Command",
                  (150_000, 400_000)),
    "disability": _Theme(("Livelihoods for people with disabilities in {d} district",),
                         ((("16020", 60), ("11330", 40)),),
                         "Vietnam Association for Disabled People's Livelihoods",
                         (100_000, 300_000)),
}


# --- the cases ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Spec:
    state: str
    province: str
    donor: str
    form: str
    currency: str
    theme: str
    anchor: int          # days before today of the state's defining event (approval after it)
    duration: int = 24   # planned months
    end: int | None = None  # days ago: actual end, termination or suspension
    flags: tuple[str, ...] = ()
    twists: str = ""
    sensitive: tuple[str, ...] = ()
    moha: bool = False


def _specs() -> list[_Spec]:
    s = _Spec
    return [
        # Clean cases: no compliance flag should fire.
        s("draft", "BN", MARKER_DONOR, "programme", "USD", "water", 3),
        s("draft", "HN", "KINDERHILFE-DE", "non_project_events", "EUR", "events", 8),
        s("draft", "CT", "JP-EMBASSY", "investment_project", "JPY", "education", 12),
        s("returned", "TH", "HORIZON-AU", "technical_assistance_project", "USD",
          "disaster_prep", 10),
        s("returned", "QN", "LUMIERE-FR", "non_project_cash", "EUR", "scholarships", 20),
        s("submitted", "HN", "SAKURA-JP", "non_project_experts", "JPY", "experts", 4),
        s("submitted", "CT", "HANBIT-KR", "non_project_goods", "VND", "medical_goods", 2),
        s("submitted", "BN", "LUMIERE-FR", "technical_assistance_project", "EUR",
          "vocational", 6),
        s("under_appraisal", "QN", MARKER_DONOR, "investment_project", "USD", "water", 7),
        s("under_appraisal", "TH", "KINDERHILFE-DE", "programme", "EUR", "education", 12),
        s("under_appraisal", "HN", "JP-EMBASSY", "non_project_goods", "JPY",
          "medical_goods", 5),
        s("appraised", "BN", "SAKURA-JP", "technical_assistance_project", "JPY", "health", 3),
        s("appraised", "CT", "MRHF", "disaster_relief", "USD", "flood", 6),
        s("appraised", "QN", "HORIZON-AU", "non_project_events", "USD", "dr_events", 9),
        s("approved", "BN", MARKER_DONOR, "programme", "VND", "water", 40),
        s("approved", "HN", "LUMIERE-FR", "non_project_experts", "EUR", "experts", 90),
        s("approved", "TH", "HANBIT-KR", "non_project_goods", "USD", "medical_goods", 20),
        s("approved", "QN", "SAKURA-JP", "investment_project", "JPY", "education", 150),
        s("approved", "CT", "KINDERHILFE-DE", "non_project_cash", "EUR", "scholarships", 60),
        s("approved", "HN", MARKER_DONOR, "investment_project", "USD", "water", 260,
          twists="delay_justified"),
        s("in_implementation", "BN", MARKER_DONOR, "programme", "USD", "water", 500, 36,
          twists="amend_extend"),
        s("in_implementation", "HN", "KINDERHILFE-DE", "technical_assistance_project", "EUR",
          "health", 300),
        s("in_implementation", "QN", "HORIZON-AU", "investment_project", "USD",
          "disaster_prep", 420, 30),
        s("in_implementation", "TH", "LUMIERE-FR", "programme", "EUR", "nutrition", 700, 36),
        s("in_implementation", "CT", "HANBIT-KR", "non_project_experts", "USD", "experts",
          200, 18),
        s("in_implementation", "BN", "SAKURA-JP", "non_project_goods", "JPY",
          "medical_goods", 100, 12),
        s("in_implementation", "HN", "JP-EMBASSY", "investment_project", "JPY", "education",
          380),
        s("in_implementation", "TH", MARKER_DONOR, "programme", "VND", "agri", 250,
          twists="suspended_once"),
        s("in_implementation", "QN", "LUMIERE-FR", "non_project_cash", "EUR", "scholarships",
          150, 12, twists="amend_pending"),
        s("in_implementation", "CT", "HORIZON-AU", "disaster_relief", "USD", "flood", 60, 6),
        s("in_implementation", "HN", "LUMIERE-FR", "programme", "EUR", "disability", 230,
          moha=True),
        s("in_implementation", "HN", "KINDERHILFE-DE", "technical_assistance_project", "EUR",
          "legal", 330, sensitive=("legal_drafting",)),
        s("in_implementation", "HN", "MRHF", "humanitarian_unaddressed", "USD",
          "humanitarian", 120, 12),
        s("in_implementation", "BN", "SAKURA-JP", "programme", "JPY", "education", 160, 18,
          twists="vice_chair"),
        s("suspended", "TH", "HANBIT-KR", "programme", "USD", "health", 400, end=30),
        s("suspended", "CT", "KINDERHILFE-DE", "non_project_events", "EUR", "events", 200,
          12, end=45),
        s("completed", "QN", MARKER_DONOR, "investment_project", "USD", "water", 800, end=90),
        s("completed", "HN", "SAKURA-JP", "non_project_experts", "JPY", "experts", 450,
          end=40),
        s("completed", "TH", "HORIZON-AU", "disaster_relief", "USD", "flood", 330, end=120),
        s("completed", "CT", "JP-EMBASSY", "non_project_goods", "JPY", "medical_goods", 300,
          end=150),
        s("closed", "BN", MARKER_DONOR, "programme", "USD", "water", 1150, end=500,
          twists="audit"),
        s("closed", "HN", "LUMIERE-FR", "technical_assistance_project", "EUR", "vocational",
          900, end=420, twists="refund"),
        s("closed", "QN", "HORIZON-AU", "disaster_relief", "USD", "flood", 700, end=480),
        s("closed", "TH", "KINDERHILFE-DE", "non_project_cash", "EUR", "scholarships", 1000,
          end=380, twists="audit"),
        s("closed", "CT", "GREENDELTA-CH", "programme", "EUR", "agri", 1100, end=450),
        s("closed", "HN", "JP-EMBASSY", "investment_project", "JPY", "education", 1200,
          end=400, twists="audit refund"),
        s("closed", "BN", "SAKURA-JP", "non_project_events", "JPY", "events", 1300, end=1100),
        s("rejected", "TH", "LUMIERE-FR", "non_project_events", "EUR", "events", 50),
        s("rejected", "QN", "HANBIT-KR", "non_project_goods", "USD", "medical_goods", 100),
        s("revoked", "CT", MARKER_DONOR, "investment_project", "USD", "water", 300),
        s("terminated", "BN", "KINDERHILFE-DE", "programme", "EUR", "health", 500, end=60),
        s("terminated", "QN", "SAKURA-JP", "technical_assistance_project", "JPY", "education",
          400, end=100),
        # C01 money received or used before approval (deviation).
        s("appraised", "CT", "HORIZON-AU", "disaster_relief", "USD", "flood", 14,
          flags=("C01",), twists="c01_appraised"),
        s("in_implementation", "TH", MARKER_DONOR, "programme", "USD", "water", 200,
          flags=("C01",), twists="c01_early"),
        s("submitted", "QN", "HORIZON-AU", "disaster_relief", "USD", "flood", 10,
          flags=("C01",), twists="c01_in_kind"),
        # C02 approved by an authority other than the required one (deviation).
        s("in_implementation", "HN", "LUMIERE-FR", "programme", "EUR", "religion", 150,
          flags=("C02",), twists="c02", sensitive=("religion",)),
        s("approved", "QN", "LUMIERE-FR", "technical_assistance_project", "EUR", "uxo", 45,
          flags=("C02",), twists="c02", sensitive=("defence",)),
        s("in_implementation", "TH", "MRHF", "humanitarian_unaddressed", "USD",
          "humanitarian", 90, 12, flags=("C02",), twists="c02"),
        # C03 donor certificate invalid: at submission, approval or receipt (deviation), and
        # the active cases of the NGOs whose certificate was suspended or revoked.
        s("under_appraisal", "HN", "KINDERHILFE-DE", "technical_assistance_project", "EUR",
          "agri", 8, flags=("C03",), twists="cert_gap"),
        s("approved", "TH", "SAKURA-JP", "non_project_experts", "JPY", "experts", 30,
          flags=("C03",), twists="cert_gap"),
        s("in_implementation", "CT", "GREENDELTA-CH", "programme", "EUR", "agri", 250,
          flags=("C03",), twists="receipt_after_suspension"),
        s("approved", "TH", "GREENDELTA-CH", "technical_assistance_project", "EUR",
          "environment", 60, flags=("C03",)),
        s("in_implementation", "QN", "BRIGHTPATH-US", "programme", "USD", "vocational", 220,
          flags=("C03",)),
        s("suspended", "HN", "BRIGHTPATH-US", "technical_assistance_project", "USD",
          "vocational", 300, end=35, flags=("C03",)),
        # C04 donor certificate expiring within the warning window.
        s("in_implementation", "HN", "LOTUS-NL", "programme", "EUR", "school_meals", 200,
          flags=("C04",)),
        s("in_implementation", "BN", "LOTUS-NL", "non_project_cash", "EUR", "nutrition", 400,
          flags=("C04",)),
        s("approved", "BN", "LOTUS-NL", "technical_assistance_project", "EUR", "education",
          50, flags=("C04",)),
        # C06 appraisal overdue, consultee reply overdue, VUFO not consulted.
        s("under_appraisal", "TH", "HORIZON-AU", "investment_project", "USD",
          "disaster_prep", 40, flags=("C06",), twists="c06_overdue"),
        s("under_appraisal", "CT", "LUMIERE-FR", "programme", "EUR", "vocational", 28,
          flags=("C06",), twists="c06_no_vufo"),
        s("under_appraisal", "BN", MARKER_DONOR, "investment_project", "VND", "water", 15,
          flags=("C06",), twists="c06_reply_overdue"),
        # C07 no implementation six months after approval.
        s("approved", "QN", MARKER_DONOR, "investment_project", "USD", "water", 240,
          flags=("C07",)),
        s("approved", "TH", "KINDERHILFE-DE", "programme", "EUR", "education", 215,
          flags=("C07",)),
        # C08 half-year or annual report overdue.
        s("in_implementation", "CT", "HANBIT-KR", "programme", "USD", "health", 600, 36,
          flags=("C08",), twists="skip_half_year"),
        s("in_implementation", "QN", "LUMIERE-FR", "programme", "EUR", "education", 500, 36,
          flags=("C08",), twists="skip_annual"),
        s("in_implementation", "HN", "SAKURA-JP", "programme", "JPY", "health", 450, 36,
          flags=("C08",), twists="returned_report"),
        # C09 completion report or settlement overdue after the actual end.
        s("completed", "TH", "HORIZON-AU", "disaster_relief", "USD", "flood", 600, end=230,
          flags=("C09",), twists="no_final_reports"),
        s("terminated", "CT", "KINDERHILFE-DE", "programme", "EUR", "education", 700,
          end=210, flags=("C09",), twists="no_final_reports"),
        # C10 over-spending (deviation).
        s("in_implementation", "BN", MARKER_DONOR, "programme", "USD", "water", 260,
          flags=("C10",), twists="overspend_received"),
        s("in_implementation", "TH", "LUMIERE-FR", "programme", "EUR", "nutrition", 420,
          18, flags=("C10",), twists="overspend_approved"),
        # C11 money dated outside the approved period (deviation).
        s("in_implementation", "QN", "SAKURA-JP", "programme", "JPY", "education", 180,
          flags=("C11",), twists="receipt_before_start"),
        s("in_implementation", "CT", "HORIZON-AU", "programme", "USD", "disaster_prep", 700,
          18, flags=("C11",), twists="spent_after_end"),
        # C13 cash without the aid account (deviation).
        s("in_implementation", "HN", "JP-EMBASSY", "programme", "JPY", "education", 150,
          flags=("C13",), twists="receipt_no_account"),
        s("in_implementation", "TH", "HANBIT-KR", "programme", "VND", "health", 260,
          flags=("C13",), twists="disbursement_no_account"),
        # C17 refusal or revocation without notifying the donor.
        s("rejected", "BN", "LUMIERE-FR", "non_project_events", "EUR", "events", 70,
          flags=("C17",), twists="no_notice"),
        s("revoked", "HN", "KINDERHILFE-DE", "programme", "EUR", "health", 330,
          flags=("C17",), twists="no_notice"),
        # C18 the same person submitted and approved (deviation).
        s("approved", "CT", MARKER_DONOR, "programme", "USD", "water", 25, flags=("C18",),
          twists="c18"),
        s("in_implementation", "QN", "HORIZON-AU", "programme", "USD", "flood", 180,
          flags=("C18",), twists="c18"),
    ]


# --- the loader -------------------------------------------------------------------------------

@dataclass
class _Step:
    on: date
    seq: int
    kind: str  # "donor", "open_case", "case", "register"
    target: UUID | None
    command: str
    actor: Actor
    kwargs: dict[str, Any]


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return policy.add_months(_first_of_month(day), 1) - timedelta(days=1)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class _Demo:
    def __init__(self, services: Services, today: date) -> None:
        self.services, self.today = services, today
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
        self.steps: list[_Step] = []
        self.cutoff: dict[str, date] = {}  # donor code -> certificate suspended/revoked on
        self.intended: dict[str, list[str]] = {}
        self.forms: Counter[str] = Counter()
        self.currencies: Counter[str] = Counter()
        self.reference_numbers: Counter[tuple[str, int]] = Counter()

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def add(self, on: date, kind: str, target: UUID | None, command: str, actor: Actor, /,
            **kwargs: Any) -> None:
        if on > self.today:
            raise AssertionError(f"demo step {command} dated {on} is after {self.today}")
        self.steps.append(_Step(on, len(self.steps), kind, target, command, actor, kwargs))

    # --- donors ---------------------------------------------------------------------------

    def plan_donors(self) -> None:
        for donor in DONORS:
            donor_id = Donor.create_id(donor.code)
            issued = [self.issue_date(c) for c in donor.certs]
            registered = (min(issued) if issued else self.ago(1500)) - timedelta(days=30)
            self.add(registered, "register", None, "register_donor", REGISTRY, code=donor.code,
                     name=donor.name, country=donor.country, kind=donor.kind, iati_ref=None)
            for cert, on in zip(donor.certs, issued, strict=True):
                self.add(on, "donor", donor_id, "issue_certificate", REGISTRY,
                         number=cert.number, kind=cert.kind, issued_on=on,
                         expires_on=self.expiry(cert, on), provinces=list(cert.provinces),
                         fields=list(cert.fields))
            last = donor.certs[-1].number if donor.certs else ""
            if donor.suspended_days_ago is not None:
                on = self.ago(donor.suspended_days_ago)
                self.cutoff[donor.code] = on
                self.add(on, "donor", donor_id, "suspend_certificate", REGISTRY, number=last,
                         reason="Inspection found activities outside the certified fields; "
                                "suspended pending clarification by the Ministry of Foreign "
                                "Affairs")
            if donor.revoked_days_ago is not None:
                on = self.ago(donor.revoked_days_ago)
                self.cutoff[donor.code] = on
                self.add(on, "donor", donor_id, "revoke_certificate", REGISTRY, number=last,
                         reason="Repeated failure to report and funds used outside the "
                                "certified provinces")

    def issue_date(self, cert: _Cert) -> date:
        if cert.expires_in_days is not None:  # the longest validity, ending on that day
            months = 36 if cert.kind == "operation" else 60
            return policy.add_months(self.today + timedelta(days=cert.expires_in_days),
                                     -months)
        return policy.add_months(self.today, -cert.issued_months_ago)

    def expiry(self, cert: _Cert, issued: date) -> date:
        if cert.expires_in_days is not None:
            return self.today + timedelta(days=cert.expires_in_days)
        months = 36 if cert.kind == "operation" else 60
        return policy.add_months(issued, months) - timedelta(days=1)

    # --- cases ----------------------------------------------------------------------------

    def plan_cases(self) -> None:
        plans = [_CasePlan(self, spec, index) for index, spec in enumerate(_specs())]
        # References count up per province and year in the order the cases were opened.
        for plan in sorted(plans, key=lambda p: (p.open_on, p.index)):
            key = (plan.spec.province, plan.open_on.year)
            self.reference_numbers[key] += self.rng.randint(1, 6)
            plan.reference = f"{key[0]}-{key[1]}-{self.reference_numbers[key]:04d}"
        for plan in plans:
            plan.build()
            self.intended[plan.reference] = sorted(plan.spec.flags)
            self.forms[plan.spec.form] += 1
            self.currencies[plan.spec.currency] += 1

    def run(self, progress: ProgressCallback | None) -> tuple[int, dict[str, int]]:
        services = self.services
        versions: dict[UUID, int] = {}
        status: dict[UUID, str] = {}
        ordered = sorted(self.steps, key=lambda s: (s.on, s.seq))
        total = len(ordered)
        for done, step in enumerate(ordered, 1):
            kwargs = {**step.kwargs, "effective_date": step.on}
            try:
                if step.kind == "register":
                    result = services.register_donor(RegisterDonor(actor=step.actor, **kwargs))
                elif step.kind == "open_case":
                    result = services.open_case(OpenCase(actor=step.actor, **kwargs))
                elif step.kind == "donor":
                    assert step.target is not None
                    donor_command = cast(type[DonorCommand], command_type(step.command))
                    result = services.handle_donor(donor_command(
                        donor_id=step.target, actor=step.actor, **kwargs))
                else:
                    assert step.target is not None
                    case_command = cast(type[CaseCommand], command_type(step.command))
                    result = services.handle_case(case_command(
                        case_id=step.target, actor=step.actor, **kwargs))
            except Exception as exc:  # a bug in the dataset: say which step
                raise RuntimeError(f"demo step {step.command} dated {step.on} on "
                                   f"{step.target or kwargs.get('reference') or kwargs.get('code')}"
                                   f" failed: {exc}") from exc
            if step.kind in ("open_case", "case"):
                status[result.id] = result.status
            versions[result.id] = result.version
            if progress is not None:
                progress(done, total)
        return sum(versions.values()), dict(Counter(status.values()))


class _CasePlan:
    """One case's steps, computed back from the date of its defining event."""

    def __init__(self, demo: _Demo, spec: _Spec, index: int) -> None:
        self.demo, self.spec, self.index = demo, spec, index
        rng = demo.rng
        self.twists = set(spec.twists.split())
        self.province = PROVINCES[spec.province]
        self.donor = next(d for d in DONORS if d.code == spec.donor)
        self.is_ngo = self.donor.kind == "foreign_ngo"
        theme = THEMES[spec.theme]
        self.district = rng.choice(self.province.districts)
        self.title = rng.choice(theme.titles).format(d=self.district, n=rng.randint(3, 9),
                                                     p=self.province.name)
        self.sectors = [{"code": c, "percentage": Decimal(p)}
                        for c, p in rng.choice(theme.sectors)]
        self.aid_owner = theme.owner.format(p=self.province.name, d=self.district)
        usd = Decimal(rng.randint(*theme.usd))
        self.currency = spec.currency
        unit = _ROUND_TO[spec.currency]
        amount = (usd * _PER_USD[spec.currency] / unit).quantize(Decimal(1)) * unit
        if spec.twists == "vice_chair":  # within the BN delegation (10 billion VND)
            amount = Decimal(30_000_000)
        self.requested = max(amount, Decimal(unit))
        self.approved = self.requested if rng.random() < 0.7 else \
            (self.requested * Decimal("0.95") / unit).quantize(Decimal(1)) * unit
        self.rate = VND_RATES[spec.currency]
        self.account = f"Vietcombank {rng.randint(10**12, 10**13 - 1)}"
        self.decision_no = rng.randint(120, 3900)
        self.commit = rng.random() < 0.7
        self.extra_consultee = rng.random() < 0.35
        self.resubmitted = rng.random() < 0.2
        self.reference = ""
        self.dates()

    # --- the calendar ---------------------------------------------------------------------

    def dates(self) -> None:
        demo, spec, rng = self.demo, self.spec, self.demo.rng
        state, e = spec.state, demo.ago(spec.anchor)
        if state in ("draft", "returned", "submitted", "under_appraisal"):
            self.approve_on = None
            self.accept_on = e if state == "under_appraisal" else None
            self.submit_on = {"returned": e - timedelta(days=6), "submitted": e,
                              "under_appraisal": e - timedelta(days=4)}.get(state)
            self.open_on = e - timedelta(days={"draft": 6, "returned": 25, "submitted": 12,
                                               "under_appraisal": 16}[state])
            base = e
            self.resubmitted = False
        else:
            approval = e + timedelta(days=7) if state == "appraised" else e
            self.approve_on = approval if state not in ("appraised", "rejected") else None
            self.accept_on = approval - timedelta(days=21)
            self.submit_on = approval - timedelta(days=25)
            self.open_on = approval - timedelta(days=38 + rng.randint(0, 20))
            if self.resubmitted:
                self.open_on -= timedelta(days=25)
            base = approval
        if self.twists & {"c01_appraised", "c01_early", "c01_in_kind"}:
            self.planned_start = _first_of_month(self.open_on)
        elif "receipt_before_start" in self.twists:
            self.planned_start = policy.add_months(_first_of_month(base), 2)
        else:
            self.planned_start = policy.add_months(_first_of_month(base),
                                                   1 if self.approve_on else 2)
        self.actual_end: date | None = None
        if state in ("completed", "closed") and spec.end is not None:
            self.actual_end = demo.ago(spec.end)
            self.planned_end = _month_end(self.actual_end)
        else:
            self.planned_end = policy.add_months(self.planned_start,
                                                 spec.duration) - timedelta(days=1)
        if state == "terminated" and spec.end is not None:
            self.actual_end = demo.ago(spec.end)

    # --- building -------------------------------------------------------------------------

    @property
    def case_id(self) -> UUID:
        return AidCase.create_id(self.reference)

    def add(self, on: date, command: str, actor: Actor, /, **kwargs: Any) -> None:
        self.demo.add(on, "case", self.case_id, command, actor, **kwargs)

    def money(self, amount: Decimal) -> Money:
        return Money(quantize_for(self.currency, amount), self.currency)

    def doc(self, kind: str, title: str, on: date | None = None) -> Document:
        suffix = f"-{on:%Y%m%d}" if on else ""
        uri = f"https://docs.aidtrail.example/{self.reference}/{kind}{suffix}.pdf"
        return Document(kind=kind, title=title, uri=uri, sha256=_sha(uri),
                        language="en" if kind == "donor_consent" else "vi")

    def deviation(self, reason: str, on: date) -> Deviation:
        return Deviation(reason, f"Minutes {self.reference}/BB-{on:%Y%m%d}")

    def build(self) -> None:
        spec, demo = self.spec, self.demo
        owner = self.province.owner
        if "c18" in self.twists:
            owner = Actor(f"{spec.province.lower()}.director.an", AID_OWNER)
        self.owner = owner
        donor_id = Donor.create_id(spec.donor)
        sensitive = list(spec.sensitive)
        managing = self.province.agency
        if spec.form == "humanitarian_unaddressed":
            managing = "Central Committee of the Vietnam Fatherland Front"
        elif spec.moha:
            managing = "Ministry of Home Affairs"
        elif spec.theme == "legal":
            managing = "Ministry of Justice"
        demo.add(self.open_on, "open_case", None, "open_case", self.province.owner,
                 donor_id=donor_id, requested=self.money(self.requested),
                 reference=self.reference, title=self.title,
                 description=f"{self.title}, funded by {self.donor.name} and implemented by "
                             f"the {self.aid_owner}.",
                 aid_form=spec.form, province=spec.province, managing_agency=managing,
                 aid_owner=self.aid_owner, sectors=self.sectors,
                 planned_start=self.planned_start, planned_end=self.planned_end,
                 requested_vnd_rate=self.rate, state_budget_revenue=spec.form in (
                     "investment_project", "programme") and not self.is_ngo,
                 sensitive_flags=sensitive, moha_licensed=spec.moha)
        self.dossier()
        if spec.state in ("draft", "returned", "submitted"):
            self.early_money()
            return
        self.appraisal()
        if spec.state == "under_appraisal":
            return
        if spec.state == "appraised":
            self.early_money()
            return
        if spec.state == "rejected":
            self.reject()
            return
        self.approve()
        if spec.state in ("approved", "revoked"):
            self.unimplemented()
            return
        self.implementation()

    def dossier(self) -> None:
        spec, owner, focal = self.spec, self.owner, self.province.focal
        docs_on = self.open_on + timedelta(days=2)
        kinds = [("request", f"Request for approval: {self.title}"),
                 ("donor_consent", f"Letter of commitment from {self.donor.name}"),
                 ("project_document", f"Project document: {self.title}"),
                 ("donor_legal_status",
                  f"Registration certificate of {self.donor.name}" if self.is_ngo
                  else f"Proof of legal status of {self.donor.name}")]
        if spec.state == "draft":
            for kind, title in kinds[:2]:
                self.add(docs_on, "attach_document", owner, document=self.doc(kind, title))
            self.add(docs_on + timedelta(days=3), "attach_document", owner,
                     document=self.doc(*kinds[2]))
            return
        for kind, title in kinds:
            self.add(docs_on, "attach_document", owner, document=self.doc(kind, title))
        assert self.submit_on is not None
        if self.resubmitted:
            first = self.submit_on - timedelta(days=22)
            self.submit(first)
            self.add(first + timedelta(days=5), "return_dossier", focal,
                     reasons=["The donor's letter of commitment is unsigned"])
            self.add(first + timedelta(days=14), "attach_document", owner,
                     document=self.doc("donor_consent", "Signed letter of commitment from "
                                       f"{self.donor.name}", first + timedelta(days=14)))
        self.submit(self.submit_on)
        if spec.state == "returned":
            self.add(self.demo.ago(spec.anchor), "return_dossier", focal,
                     reasons=["The project document lacks a budget broken down by year",
                              "The commune-level counterpart commitment is missing"])

    def submit(self, on: date) -> None:
        kwargs: dict[str, Any] = {}
        if "cert_gap" in self.twists:
            kwargs["deviation"] = self.deviation(
                "Submitted while the certificate amendment is pending at the Ministry of "
                "Foreign Affairs", on)
        self.add(on, "submit", self.owner, **kwargs)

    def appraisal(self) -> None:
        spec, focal, demo = self.spec, self.province.focal, self.demo
        accept = self.accept_on
        assert accept is not None
        self.add(accept, "accept_dossier", focal)
        vufo = "VUFO"
        if spec.state == "under_appraisal":
            if "c06_no_vufo" in self.twists:
                return
            if "c06_overdue" in self.twists or "c06_reply_overdue" in self.twists:
                self.add(accept + timedelta(days=1), "request_consultation", focal,
                         agency=vufo)
                return
            agency = vufo if self.is_ngo else f"{self.province.name} Department of Finance"
            self.add(accept + timedelta(days=1), "request_consultation", focal, agency=agency)
            if accept + timedelta(days=6) <= demo.today:
                self.add(accept + timedelta(days=6), "record_opinion", focal, agency=agency,
                         stance="agree", document=self.doc("opinion", f"Opinion of {agency}"))
            return
        complete = accept + timedelta(days=14)
        if self.is_ngo:
            self.add(accept + timedelta(days=1), "request_consultation", focal, agency=vufo)
            self.add(accept + timedelta(days=9), "record_opinion", focal, agency=vufo,
                     stance="agree" if demo.rng.random() < 0.7 else "agree_with_conditions",
                     summary="No objection; the donor is in good standing",
                     document=self.doc("opinion", "Opinion of VUFO"))
        if self.extra_consultee:
            finance = f"{self.province.name} Department of Finance"
            self.add(accept + timedelta(days=1), "request_consultation", focal,
                     agency=finance)
            self.add(accept + timedelta(days=8), "record_opinion", focal, agency=finance,
                     stance="agree", document=self.doc("opinion", f"Opinion of {finance}"))
        self.add(complete, "complete_appraisal", focal,
                 recommendation="reject" if spec.state == "rejected" else "approve")

    def required_level(self) -> str:
        services = self.demo.services
        assert self.submit_on is not None
        profile = services.rulebook.in_force(self.submit_on, self.spec.province)
        vnd = self.money(self.approved).amount * (self.rate or 1)
        return policy.required_authority(profile, aid_form=self.spec.form,
                                         sensitive_flags=self.spec.sensitive,
                                         moha_licensed=self.spec.moha, vnd_amount=vnd)

    def approve(self) -> None:
        on = self.approve_on
        assert on is not None
        level = self.required_level()
        actor, signer, series = self.province.chair, \
            f"Chair of the {self.province.agency}", "QD-UBND"
        kwargs: dict[str, Any] = {}
        if "c02" in self.twists:
            level = HEAD_OF_MANAGING_AGENCY
            kwargs["deviation"] = self.deviation(
                f"Signed by the chair of the {self.province.agency} for urgency; "
                "regularisation by the competent authority requested", on)
        elif "vice_chair" in self.twists:
            level, actor = VICE_CHAIR, BN_VICE_CHAIR
            signer = f"Vice-chair of the {self.province.agency} (delegated)"
        elif level in CENTRAL_APPROVERS:
            actor, signer, series = CENTRAL_APPROVERS[level]
        if "c18" in self.twists:
            actor = Actor(self.owner.id, APPROVER)
            kwargs["deviation"] = self.deviation(
                "The director who submitted the dossier signed the decision as acting chair "
                "during the chair's leave", on)
        if "cert_gap" in self.twists:
            kwargs["deviation"] = self.deviation(
                "Approved pending the certificate amendment the Ministry of Foreign Affairs "
                "has acknowledged", on)
        conditions = ["Report every six months to the Department of Foreign Affairs"] \
            if self.demo.rng.random() < 0.4 else []
        self.approver, self.level, self.signer = actor, level, signer
        self.add(on, "approve", actor, decision_no=f"{self.decision_no}/{series}",
                 decision_date=on, signer=signer, authority_level=level,
                 approved_amount=self.money(self.approved), vnd_rate=self.rate,
                 conditions=conditions, **kwargs)
        if self.commit and on + timedelta(days=8) <= self.demo.today:
            self.add(on + timedelta(days=8), "record_commitment", self.owner,
                     amount=self.money(self.approved), vnd_rate=self.rate,
                     agreement_ref=f"{self.spec.donor}/GA-{on.year}-{self.decision_no % 97:02d}")

    def reject(self) -> None:
        on = self.demo.ago(self.spec.anchor)
        self.add(on, "reject", self.province.chair, decision_no=f"{self.decision_no}/QD-UBND",
                 reasons=["The equipment is on the list of goods that may not be imported"
                          if self.spec.form == "non_project_goods" else
                          "The activities duplicate a programme already funded from the "
                          "provincial budget"])
        if "no_notice" not in self.twists:
            self.add(on, "notify_donor", self.province.focal,
                     about="rejection", document=self.doc("decision", "Letter to the donor "
                                                          "on the refusal"))

    def unimplemented(self) -> None:
        on = self.approve_on
        assert on is not None
        if "delay_justified" in self.twists:
            self.add(policy.add_months(on, 5), "record_justified_delay", self.approver,
                     reason="Site clearance delayed by the commune land-use plan revision",
                     document=self.doc("decision", "Justified delay", on))
        if self.spec.state == "revoked":
            revoke = policy.add_months(on, 6) + timedelta(days=12)
            self.add(revoke, "revoke", self.province.chair,
                     reason="Not implemented within six months of approval",
                     decision=f"{self.decision_no + 400}/QD-UBND")
            if "no_notice" not in self.twists:
                self.add(revoke, "notify_donor", self.province.focal,
                         about="revocation",
                         document=self.doc("decision", "Letter to the donor on the "
                                           "revocation"))

    def early_money(self) -> None:
        """Money recorded before approval, with the deviation that makes it a fact (C01)."""
        demo, spec = self.demo, self.spec
        if "c01_appraised" in self.twists:
            on = demo.ago(6)
            self.add(on, "record_receipt", self.owner,
                     amount=self.money(self.approved * Decimal("0.3")), vnd_rate=self.rate,
                     aid_account=self.account,
                     deviation=self.deviation("Emergency funds transferred by the donor before "
                                              "the decision, as the floods worsened", on))
        elif "c01_in_kind" in self.twists:
            on = demo.ago(spec.anchor - 6)
            self.add(on, "record_receipt", self.owner, in_kind=True,
                     amount=self.money(self.approved * Decimal("0.4")), vnd_rate=self.rate,
                     counterparty="Da Nang port customs warehouse",
                     deviation=self.deviation("Relief goods arrived at the port before the "
                                              "decision and were stored under seal", on))

    # --- implementation -------------------------------------------------------------------

    def implementation(self) -> None:
        spec, demo = self.spec, self.demo
        today, owner = demo.today, self.owner
        assert self.approve_on is not None and self.accept_on is not None
        in_kind = spec.form == "non_project_goods"
        account = None if in_kind else self.account
        finished = spec.state in ("completed", "closed")
        ae = self.actual_end
        stop = today - timedelta(days=2)
        if spec.state == "suspended" and spec.end is not None:
            stop = demo.ago(spec.end) - timedelta(days=3)
        if ae is not None:
            stop = min(stop, ae - timedelta(days=3 if spec.state == "terminated" else 5))
        if spec.donor in demo.cutoff:
            stop = min(stop, demo.cutoff[spec.donor] - timedelta(days=1))
        stop = min(stop, self.planned_end)
        # Nothing ordinary after the deliberate over-spending (it would be refused).
        if "overspend_received" in self.twists:
            stop = min(stop, demo.ago(10))
        if "overspend_approved" in self.twists:
            stop = min(stop, demo.ago(32))
        if "c01_early" in self.twists:
            on = self.accept_on + timedelta(days=5)
            self.add(on, "record_receipt", owner, amount=self.money(self.approved / 5),
                     vnd_rate=self.rate, aid_account=account,
                     deviation=self.deviation("The donor's first instalment arrived while the "
                                              "dossier was under appraisal", on))
        first = max(self.planned_start + timedelta(days=6),
                    self.approve_on + timedelta(days=10))
        if "receipt_before_start" in self.twists:
            first = self.approve_on + timedelta(days=10)
        last = ae - timedelta(days=30) if finished and ae else \
            self.planned_end - timedelta(days=60)
        months = max(0, (last.year - first.year) * 12 + last.month - first.month)
        n = max(1, min(3, months // 4 + 1)) if finished else max(1, min(4, months // 6 + 1))
        step = max(1, months // max(1, n - 1)) if n > 1 else 0
        tranche_dates = [min(policy.add_months(first, k * step), max(first, last))
                         for k in range(n)]
        shares = [self.money(self.approved / n) for _ in range(n - 1)]
        shares.append(self.money(self.approved - sum((m.amount for m in shares), Decimal(0))))
        window: tuple[date, date] | None = None
        if "suspended_once" in self.twists:
            s_on = self.planned_start + timedelta(days=150)
            window = (s_on, s_on + timedelta(days=30))
            self.add(window[0], "suspend", self.province.chair,
                     reason="Flooding cut access to the project communes",
                     decision=f"{self.decision_no + 50}/QD-UBND")
            self.add(window[1], "resume", self.province.chair,
                     decision=f"{self.decision_no + 80}/QD-UBND")

        def shift(on: date) -> date:
            if window and window[0] <= on <= window[1]:
                return window[1] + timedelta(days=2)
            return on

        received = used = Decimal(0)
        first_receipt: date | None = None
        kind_args: dict[str, Any] = {"in_kind": True} if in_kind else {}
        for k, (on, share) in enumerate(zip(tranche_dates, shares, strict=True)):
            on = shift(on)
            if on > stop:
                break
            kwargs: dict[str, Any] = {}
            if k == 0 and "receipt_before_start" in self.twists:
                kwargs["deviation"] = self.deviation(
                    "The donor released the first instalment before the planned start to "
                    "catch the school year", on)
            if k == 0 and "receipt_no_account" in self.twists:
                account_used = None
                kwargs["deviation"] = self.deviation(
                    "The donor transferred to the provincial treasury general account by "
                    "mistake; moved to the aid account later", on)
            else:
                account_used = account
            if "cert_gap" in self.twists:
                kwargs["deviation"] = self.deviation("Received pending the certificate "
                                                     "amendment", on)
            self.add(on, "record_receipt", owner, amount=share, vnd_rate=self.rate,
                     aid_account=account_used, counterparty=self.donor.name, **kind_args,
                     **kwargs)
            first_receipt = first_receipt or on
            received += share.amount
            disb_on = shift(max(on + timedelta(days=10), self.planned_start))
            spend_on = shift(max(on + timedelta(days=35), self.planned_start))
            disb = self.money(share.amount * Decimal("0.4"))
            if disb_on <= stop:
                kwargs = {}
                acct = account
                if k == 0 and "disbursement_no_account" in self.twists:
                    acct = None
                    kwargs["deviation"] = self.deviation(
                        "Cash advanced to commune health stations by the project accountant "
                        "outside the aid account", disb_on)
                self.add(disb_on, "record_disbursement", owner, amount=disb,
                         vnd_rate=self.rate, aid_account=acct, **kind_args,
                         counterparty=f"Communes of {self.district} district", **kwargs)
                used += disb.amount
            spend = self.money(share.amount * Decimal("0.45"))
            if spend_on <= stop:
                self.add(spend_on, "record_expenditure", owner, amount=spend,
                         vnd_rate=self.rate, aid_account=account, **kind_args,
                         counterparty="Contractors and suppliers")
                used += spend.amount
        assert first_receipt is not None, f"{self.reference}: no receipt before {stop}"
        if "receipt_after_suspension" in self.twists:
            on = demo.ago(10)
            share = self.money(self.approved / 5)
            self.add(on, "record_receipt", owner, amount=share, vnd_rate=self.rate,
                     aid_account=account, counterparty=self.donor.name,
                     deviation=self.deviation("Instalment already in transit when the "
                                              "donor's certificate was suspended", on))
            received += share.amount
        if "overspend_received" in self.twists:
            on = demo.ago(8)
            spend = self.money(received - used + received * Decimal("0.1"))
            self.add(on, "record_expenditure", owner, amount=spend, vnd_rate=self.rate,
                     aid_account=account, counterparty="Pipe and pump contractor",
                     deviation=self.deviation("Contractor paid the full milestone before the "
                                              "second instalment arrived", on))
        if "overspend_approved" in self.twists:
            target = self.approved * Decimal("1.03")
            top_up = self.money(target - received + self.approved * Decimal("0.01"))
            self.add(demo.ago(30), "record_receipt", owner, amount=top_up, vnd_rate=self.rate,
                     aid_account=account, counterparty=self.donor.name,
                     note="Top-up from the donor's emergency reserve")
            self.add(demo.ago(12), "record_expenditure", owner,
                     amount=self.money(target - used), vnd_rate=self.rate,
                     aid_account=account, counterparty="Food suppliers",
                     deviation=self.deviation("Extra food rations bought during the drought "
                                              "before an amendment was requested",
                                              demo.ago(12)))
        if "spent_after_end" in self.twists:
            on = demo.ago(20)
            self.add(on, "record_expenditure", owner,
                     amount=self.money((received - used) / 2), vnd_rate=self.rate,
                     aid_account=account, counterparty="Construction contractor",
                     deviation=self.deviation("Retention paid to the contractor after the "
                                              "planned end, amendment not yet requested", on))
        if finished and ae is not None:
            refund = self.money(received * Decimal("0.015")) if "refund" in self.twists \
                else None
            rest = received - used - (refund.amount if refund else Decimal(0))
            self.add(ae - timedelta(days=5), "record_expenditure", owner,
                     amount=self.money(rest), vnd_rate=self.rate, aid_account=account,
                     **kind_args, counterparty="Final payments to suppliers")
            self.add(ae + timedelta(days=3), "complete_activities", owner, actual_end=ae)
            if refund is not None:
                self.add(ae + timedelta(days=45), "record_refund", owner, amount=refund,
                         vnd_rate=self.rate, aid_account=self.account,
                         counterparty=self.donor.name, note="Unspent balance returned")
        if "amend_extend" in self.twists:
            on = first_receipt + timedelta(days=120)
            self.add(on, "request_amendment", owner,
                     changes={"planned_end": policy.add_months(self.planned_end, 6)},
                     reason="Two communes were added at the donor's request")
            self.decide(on + timedelta(days=14))
        if "amend_pending" in self.twists:
            self.add(demo.ago(5), "request_amendment", owner,
                     changes={"approved_amount": self.money(self.approved * Decimal("1.15")),
                              "vnd_rate": self.rate},
                     reason="More pupils qualify after the flood season")
        if spec.state == "suspended" and spec.end is not None:
            self.add(demo.ago(spec.end), "suspend", self.province.chair,
                     reason="The donor's registration certificate was revoked"
                     if spec.donor in demo.cutoff else
                     "Landslides blocked access to the project sites",
                     decision=f"{self.decision_no + 200}/QD-UBND")
        if spec.state == "terminated" and ae is not None:
            self.add(ae, "terminate", self.province.chair,
                     reason="The donor closed its Viet Nam country programme",
                     decision=f"{self.decision_no + 300}/QD-UBND")
        self.reports(first_receipt)
        if spec.state == "closed":
            self.closure()

    def decide(self, on: date) -> None:
        self.add(on, "decide_amendment", self.approver, amendment_id="A1", approved=True,
                 decision_no=f"{self.decision_no + 500}/QD-UBND", signer=self.signer,
                 authority_level=self.level)

    def reports(self, first_receipt: date) -> None:
        demo, focal, owner = self.demo, self.province.focal, self.owner
        assert self.submit_on is not None
        profile = demo.services.rulebook.in_force(self.submit_on, self.spec.province)
        obligations = policy.reporting_obligations(profile, first_receipt_on=first_receipt,
                                                   actual_end_on=self.actual_end,
                                                   as_of=demo.today)
        target: policy.Obligation | None = None
        wanted = {"skip_half_year": policy.HALF_YEAR, "skip_annual": policy.ANNUAL,
                  "returned_report": policy.HALF_YEAR}
        for twist, kind in wanted.items():
            if twist in self.twists:
                overdue = [o for o in obligations if o.kind == kind and o.due_on < demo.today]
                target = overdue[-1]
        self.review_dates: list[date] = []
        for ob in obligations:
            if ob == target and "returned_report" not in self.twists:
                continue
            if ob.kind in (policy.COMPLETION, policy.SETTLEMENT):
                if "no_final_reports" in self.twists:
                    continue
                assert self.actual_end is not None
                on = self.actual_end + timedelta(days=40 if ob.kind == policy.COMPLETION
                                                 else 55)
            else:
                on = ob.due_on - timedelta(days=demo.rng.randint(3, 9))
            on = max(on, ob.period_end + timedelta(days=1))
            if on > demo.today:
                continue
            label = ob.kind.replace("_", "-")
            self.add(on, "submit_report", owner, kind=ob.kind, period_start=ob.period_start,
                     period_end=ob.period_end, report_id=ob.report_id,
                     document=self.doc("report", f"{label} report "
                                       f"{ob.period_start}..{ob.period_end}", on))
            review = on + timedelta(days=8)
            if review > demo.today:
                continue
            if ob == target:
                self.add(review, "review_report", focal, report_id=ob.report_id,
                         accepted=False, reasons=["Expenditure table does not match the "
                                                  "bank statements"])
            else:
                self.add(review, "review_report", focal, report_id=ob.report_id,
                         accepted=True)
            self.review_dates.append(review)
        ae = self.actual_end
        if ae is not None and self.spec.state in ("completed", "closed") and \
                ae + timedelta(days=20) <= demo.today:
            self.add(ae + timedelta(days=20), "record_handover", owner,
                     document=self.doc("handover", "Handover of assets to the communes", ae),
                     note="Assets handed over to the commune People's Committees")
            self.review_dates.append(ae + timedelta(days=20))

    def closure(self) -> None:
        close_on = max(self.review_dates) + timedelta(days=10)
        if "refund" in self.twists:
            assert self.actual_end is not None
            close_on = max(close_on, self.actual_end + timedelta(days=55))
        if "audit" in self.twists:
            self.add(close_on - timedelta(days=4), "record_audit", STATE_AUDITOR,
                     auditor="State Audit Office of Viet Nam, Region I",
                     summary="Expenditure in line with the approved budget; no findings",
                     document=self.doc("audit", "Audit report", close_on))
        self.add(close_on, "close", self.province.focal)


# --- the entry points -----------------------------------------------------------------------

def demo_loaded(services: Services) -> bool:
    """True when the demo's marker donor is in the store."""
    try:
        services.get_donor(Donor.create_id(MARKER_DONOR))
    except NotFoundError:
        return False
    return True


def load_demo(services: Services, today: date,
              progress: ProgressCallback | None = None) -> DemoSummary:
    """Record the demo dataset as of ``today`` (not after the services' clock date; pass the
    clock's date for the intended flags to be the ones open now).

    ``progress(done, total)`` is called after each recorded command. Loading into a store
    that has the demo's marker donor records nothing: the summary says ``already_loaded``.
    """
    demo = _Demo(services, today)
    demo.plan_donors()
    demo.plan_cases()
    if demo_loaded(services):
        return DemoSummary(donors=len(DONORS), cases=len(demo.intended), events=0,
                           by_state={}, intended_flags=demo.intended,
                           by_form=dict(demo.forms), by_currency=dict(demo.currencies),
                           already_loaded=True)
    if today > services.clock():
        raise ValueError(f"the demo's today ({today}) is after the services' clock "
                         f"({services.clock()})")
    events, by_state = demo.run(progress)
    return DemoSummary(donors=len(DONORS), cases=len(demo.intended), events=events,
                       by_state=by_state, intended_flags=demo.intended,
                       by_form=dict(demo.forms), by_currency=dict(demo.currencies))
