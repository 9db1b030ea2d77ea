"""Demo data (idempotent): the article's 2023 CCHC ranking, a 2024 scheme, the simplification plan.

Figures from the article (DOMAIN §1): Sở Tư pháp 92.62 (1st; 13th of 21 in 2022), Sở NN&PTNT 90.91,
Văn phòng UBND tỉnh 90.89, Sở Ngoại vụ 90.83 (all "Xuất sắc"); districts 2023: Phong Điền 86.19
(1st, "Tốt"), Quảng Điền 85.77, Phú Vang 84.86. Every other unit and figure here is MADE UP and marked
"(minh hoạ)" in the unit's name.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from motcua.orgs.choices import UnitKind
from motcua.orgs.models import Unit

from .choices import Block, ItemKind, Phase, ResultSource, SchemeStatus
from .models import (
    CostActivity,
    CostSnapshot,
    HourlyIncome,
    Item,
    Result,
    Scheme,
    SimplificationPlan,
)
from .services import ensure_default_bands, rerank

D = Decimal
JUSTICE_CODE = "000.00.12.H57"
BLOCKING_PROCEDURE_NAME = (
    "Tiếp nhận, cập nhật, giải tỏa thông tin ngăn chặn trong phần mềm quản lý hồ sơ công chứng"
)

# (code, name, kind, historical) — codes with "R"/"Q" in the third group are chosen for the demo.
NAMED_DEPARTMENTS = [
    (JUSTICE_CODE, "Sở Tư pháp"),
    ("000.00.R2.H57", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("000.00.R3.H57", "Văn phòng UBND tỉnh"),
    ("000.00.R4.H57", "Sở Ngoại vụ"),
]
NAMED_DISTRICTS = [
    ("000.00.Q1.H57", "UBND huyện Phong Điền"),
    ("000.00.Q2.H57", "UBND huyện Quảng Điền"),
    ("000.00.Q3.H57", "UBND huyện Phú Vang"),
]

# 2023 departments: the article's four, then 17 made-up scores (all below 90).
DEPT_2023 = [D("92.62"), D("90.91"), D("90.89"), D("90.83")] + [
    D("89.74") - D("0.83") * i for i in range(17)
]
# 2022 departments (made up, except Sở Tư pháp's rank 13 of 21 from the article).
DEPT_2022_JUSTICE = D("84.05")
DEPT_2022_OTHERS = [D("91.20") - D("0.55") * i for i in range(12)] + [
    D("83.90") - D("0.60") * i for i in range(8)
]
DISTRICT_2023 = [D("86.19"), D("85.77"), D("84.86")] + [
    D("83.41") - D("1.37") * i for i in range(6)
]


def _unit(code: str, name: str, kind: str, *, historical: bool = False) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = Unit.objects.create(
            code=code,
            name=name,
            kind=kind,
            is_historical=historical,
            valid_to=date(2025, 6, 30) if historical else None,
        )
    return unit


def _units() -> tuple[list[Unit], list[Unit]]:
    departments = [_unit(c, n, UnitKind.DEPARTMENT) for c, n in NAMED_DEPARTMENTS]
    for i in range(5, 22):
        departments.append(
            _unit(
                f"000.00.{chr(ord('A') + i - 5)}R.H57",
                f"Sở, ngành {i:02d} (minh hoạ)",
                UnitKind.DEPARTMENT,
            )
        )
    districts = [_unit(c, n, UnitKind.DISTRICT, historical=True) for c, n in NAMED_DISTRICTS]
    for i in range(4, 10):
        districts.append(
            _unit(
                f"000.00.{chr(ord('A') + i)}Q.H57",
                f"UBND cấp huyện {i:02d} (minh hoạ)",
                UnitKind.DISTRICT,
                historical=True,
            )
        )
    return departments, districts


def _published(year: int, block: str, pairs: list[tuple[Unit, Decimal]]) -> Scheme:
    scheme, _created = Scheme.objects.get_or_create(
        year=year,
        block=block,
        defaults={
            "name": f"Chỉ số CCHC {year}",
            "status": SchemeStatus.PUBLISHED,
            "decision": "Dữ liệu minh hoạ theo bài báo (các đơn vị “minh hoạ” là giả định)",
        },
    )
    ensure_default_bands(scheme)
    for unit, total in pairs:
        Result.objects.update_or_create(
            scheme=scheme,
            unit=unit,
            defaults={
                "source": ResultSource.IMPORTED,
                "applicable_max": D(100),
                "total": total,
                "index_percent": total,
            },
        )
    rerank(scheme)
    return scheme


# A 2024 departments scheme (maxima illustrative): field → criterion → sub-criterion; sums to 100.
TREE = [
    ("1", None, "Công tác chỉ đạo, điều hành cải cách hành chính", "regular", "10"),
    ("1.1", "1", "Kế hoạch cải cách hành chính năm", "regular", "3"),
    ("1.2", "1", "Báo cáo cải cách hành chính định kỳ", "regular", "2"),
    ("1.3", "1", "Kiểm tra công tác cải cách hành chính", "regular", "3"),
    ("1.4", "1", "Thông tin, tuyên truyền cải cách hành chính", "regular", "2"),
    ("2", None, "Cải cách thể chế", "regular", "8"),
    ("2.1", "2", "Xây dựng, ban hành văn bản quy phạm pháp luật", "regular", "3"),
    ("2.2", "2", "Theo dõi thi hành pháp luật", "regular", "5"),
    ("3", None, "Cải cách thủ tục hành chính", "regular", "14"),
    ("3.1", "3", "Rà soát, đơn giản hoá thủ tục hành chính", "regular", "4"),
    ("3.2", "3", "Công khai thủ tục hành chính", "regular", "4"),
    ("3.3", "3", "Kết quả giải quyết thủ tục hành chính", "regular", "6"),
    ("3.3.1", "3.3", "Tỷ lệ hồ sơ giải quyết đúng hạn", "regular", "4"),
    ("3.3.2", "3.3", "Xin lỗi người dân khi trễ hạn", "regular", "2"),
    ("4", None, "Cải cách tổ chức bộ máy", "regular", "8"),
    ("4.1", "4", "Sắp xếp tổ chức bộ máy", "regular", "4"),
    ("4.2", "4", "Thực hiện quy định về vị trí việc làm", "regular", "4"),
    ("5", None, "Cải cách chế độ công vụ", "regular", "10"),
    ("5.1", "5", "Tuyển dụng, sử dụng công chức", "regular", "5"),
    ("5.2", "5", "Kỷ luật, kỷ cương hành chính", "regular", "5"),
    ("6", None, "Cải cách tài chính công", "regular", "6"),
    ("6.1", "6", "Thực hiện cơ chế tự chủ tài chính", "regular", "3"),
    ("6.2", "6", "Quản lý đơn vị sự nghiệp công lập trực thuộc", "regular", "3"),
    ("7", None, "Xây dựng chính quyền điện tử, chính quyền số", "regular", "14"),
    ("7.1", "7", "Ứng dụng công nghệ thông tin trong nội bộ", "regular", "6"),
    ("7.2", "7", "Dịch vụ công trực tuyến", "regular", "8"),
    ("8", None, "Tác động của cải cách hành chính (điều tra xã hội học)", "survey", "30"),
    ("8.1", "8", "Mức độ hài lòng của người dân, tổ chức", "survey", "20"),
    ("8.2", "8", "Đánh giá của lãnh đạo, công chức", "survey", "10"),
    ("T", None, "Điểm thưởng: sáng kiến cải cách hành chính được công nhận", "bonus", "2"),
    ("K", None, "Điểm trừ: vi phạm kỷ luật, kỷ cương hành chính", "penalty", "3"),
]


def _scheme_2024() -> Scheme:
    scheme, created = Scheme.objects.get_or_create(
        year=2024,
        block=Block.DEPARTMENT,
        defaults={"name": "Bộ chỉ số CCHC các sở, ban, ngành 2024 (minh hoạ)"},
    )
    if created:
        items: dict[str, Item] = {}
        for order, (code, parent, title, kind, mx) in enumerate(TREE, start=1):
            items[code] = Item.objects.create(
                scheme=scheme,
                parent=items.get(parent) if parent else None,
                code=code,
                title=title,
                kind=kind,
                max_points=D(mx),
                order=order,
                guidance="Chấm theo hướng dẫn của Sở Nội vụ (minh hoạ)."
                if kind == ItemKind.REGULAR
                else "",
                required_evidence="Văn bản, báo cáo chứng minh (PDF/ảnh)."
                if kind != ItemKind.SURVEY
                else "",
            )
        scheme.status = SchemeStatus.OPEN
        scheme.save(update_fields=["status"])
    ensure_default_bands(scheme)
    return scheme


def _cost_demo(justice: Unit) -> SimplificationPlan | None:
    from motcua.procedures.models import Procedure

    procedure = Procedure.objects.filter(name__startswith=BLOCKING_PROCEDURE_NAME[:60]).first()
    if procedure is None:
        procedure, _c = Procedure.objects.get_or_create(
            code="DEMO-NGANCHAN-01",
            defaults={
                "name": BLOCKING_PROCEDURE_NAME,
                "unit": justice,
                "time_value": D(16),
                "time_unit": "working_hours",
                "is_demo": True,
            },
        )
    HourlyIncome.objects.get_or_create(
        year=2023,
        defaults={
            "monthly_income": D(31000) * 22 * 8,
            "source": "Minh hoạ: 5.456.000 đ/tháng ÷ (22 × 8) = 31.000 đ/giờ (số liệu bài báo)",
        },
    )
    plan, created = SimplificationPlan.objects.get_or_create(
        procedure=procedure,
        year=2023,
        defaults={
            "title": "Phương án đơn giản hoá: rút ngắn thời gian từ 24 giờ xuống 16 giờ làm việc",
            "hourly_income": D(31000),
            "income_source": "Thu nhập bình quân 2023 (minh hoạ): 31.000 đồng/giờ",
            "dossiers_per_year": 50,
            "dossiers_source": "Số hồ sơ/năm theo bài báo (minh hoạ)",
        },
    )
    if created:
        for phase, hours in ((Phase.BEFORE, 24), (Phase.AFTER, 16)):
            snapshot = CostSnapshot.objects.create(plan=plan, phase=phase)
            CostActivity.objects.create(
                snapshot=snapshot, order=1, name="Thời gian thực hiện thủ tục", hours=D(hours)
            )
    return plan


def load(stdout) -> None:
    """Create the demo units, the published 2022–2023 tables, a 2024 scheme and the cost plan."""
    departments, districts = _units()
    justice = departments[0]
    _published(2023, Block.DEPARTMENT, list(zip(departments, DEPT_2023, strict=True)))
    others_2022 = list(zip(departments[1:], DEPT_2022_OTHERS, strict=True))
    _published(2022, Block.DEPARTMENT, [(justice, DEPT_2022_JUSTICE), *others_2022])
    _published(2023, Block.DISTRICT, list(zip(districts, DISTRICT_2023, strict=True)))
    _scheme_2024()
    _cost_demo(justice)
    stdout.write(
        "Reform demo: 2022–2023 rankings (article figures; other units marked “minh hoạ”), "
        "an open 2024 scheme, the blocking-information simplification plan."
    )
