"""Demo catalogue: about fifteen procedure types of a provincial Department of Justice (Huế).

Names, legal bases, time limits and fees follow the published procedures; the codes (DEMO-…) are
illustrative, so every procedure is marked `is_demo`. Loaded through the catalogue import, so running
it twice updates instead of duplicating. Internal steps: intake → specialist → leader → return, with
budgets that add up to the procedure's time limit in working hours.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from motcua.orgs.demo import DOJ_CODE, load_units

from .exchange import import_catalogue

FIELDS = {
    "LLTP": "Lý lịch tư pháp",
    "QT": "Quốc tịch",
    "CC": "Công chứng",
    "LS": "Luật sư",
    "GD": "Giám định tư pháp",
    "DG": "Đấu giá tài sản",
    "HT": "Hộ tịch",
    "NCN": "Nuôi con nuôi",
    "TGPL": "Trợ giúp pháp lý",
    "CT": "Chứng thực",
}

FEE_NOTE_CHECK = "Mức thu minh họa; đối chiếu biểu phí, lệ phí hiện hành trước khi sử dụng."

# code, field, name, legal basis, time value, time unit, same-day, fee, fee note, online level,
# documents [(name, form, count[, condition])]
PROCEDURES: list[dict[str, Any]] = [
    {
        "code": "DEMO-LLTP-01",
        "field": "LLTP",
        "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        "legal_basis": "Luật Lý lịch tư pháp số 28/2009/QH12; Nghị định 111/2010/NĐ-CP; Thông tư liên tịch 04/2012/TTLT-BTP-TANDTC-VKSNDTC-BCA-BQP; Thông tư 244/2016/TT-BTC",
        "time": (10, "working_days"),
        "fee": 200000,
        "fee_note": "200.000 đồng/lần; sinh viên, người có công với cách mạng, thân nhân liệt sĩ: 100.000 đồng/lần; từ Phiếu thứ 3 trở đi: 5.000 đồng/Phiếu.",
        "online_level": "full",
        "documents": [
            ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 03/2013/TT-LLTP)", "original", 1),
            ("Bản chụp Căn cước công dân hoặc Hộ chiếu của người được cấp Phiếu", "copy", 1),
            ("Văn bản ủy quyền (trường hợp ủy quyền làm thủ tục)", "original", 1, "on_behalf"),
        ],
    },
    {
        "code": "DEMO-LLTP-02",
        "field": "LLTP",
        "name": "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng",
        "legal_basis": "Luật Lý lịch tư pháp số 28/2009/QH12 (Điều 46, Điều 48); Nghị định 111/2010/NĐ-CP",
        "time": (5, "working_days"),
        "fee": 0,
        "fee_note": "Không thu phí.",
        "online_level": "partial",
        "documents": [
            (
                "Văn bản yêu cầu cấp Phiếu lý lịch tư pháp của cơ quan tiến hành tố tụng",
                "original",
                1,
            ),
        ],
    },
    {
        "code": "DEMO-QT-01",
        "field": "QT",
        "name": "Nhập quốc tịch Việt Nam",
        "legal_basis": "Luật Quốc tịch Việt Nam 2008 (sửa đổi, bổ sung 2014); Nghị định 16/2020/NĐ-CP; Thông tư 02/2020/TT-BTP; Thông tư 281/2016/TT-BTC",
        "time": (15, "working_days"),
        "fee": 3000000,
        "fee_note": "3.000.000 đồng/trường hợp; miễn cho người có công, người không quốc tịch có hoàn cảnh kinh tế khó khăn. Thời hạn là phần việc của Sở Tư pháp (chưa gồm thời gian xác minh của Công an).",
        "online_level": "partial",
        "documents": [
            ("Đơn xin nhập quốc tịch Việt Nam (Mẫu TP/QT-2020-ĐXNQT.1)", "original", 3),
            ("Bản sao Hộ chiếu, giấy tờ có giá trị thay thế", "certified_copy", 3),
            ("Bản khai lý lịch", "original", 3),
            (
                "Phiếu lý lịch tư pháp do cơ quan có thẩm quyền cấp (không quá 90 ngày)",
                "original",
                3,
            ),
            (
                "Giấy tờ chứng minh trình độ tiếng Việt, nơi thường trú, khả năng bảo đảm cuộc sống",
                "copy",
                3,
            ),
        ],
    },
    {
        "code": "DEMO-QT-02",
        "field": "QT",
        "name": "Thôi quốc tịch Việt Nam ở trong nước",
        "legal_basis": "Luật Quốc tịch Việt Nam 2008 (sửa đổi, bổ sung 2014); Nghị định 16/2020/NĐ-CP; Thông tư 281/2016/TT-BTC",
        "time": (10, "working_days"),
        "fee": 2500000,
        "fee_note": "2.500.000 đồng/trường hợp. Thời hạn là phần việc của Sở Tư pháp.",
        "online_level": "partial",
        "documents": [
            ("Đơn xin thôi quốc tịch Việt Nam (Mẫu TP/QT-2020-ĐXTQT.1)", "original", 3),
            ("Bản khai lý lịch", "original", 3),
            ("Bản sao Hộ chiếu hoặc Căn cước công dân", "certified_copy", 3),
            ("Phiếu lý lịch tư pháp", "original", 3),
            (
                "Giấy tờ xác nhận việc người đó đang làm thủ tục nhập quốc tịch nước ngoài",
                "copy",
                3,
            ),
        ],
    },
    {
        "code": "DEMO-QT-03",
        "field": "QT",
        "name": "Trở lại quốc tịch Việt Nam ở trong nước",
        "legal_basis": "Luật Quốc tịch Việt Nam 2008 (sửa đổi, bổ sung 2014); Nghị định 16/2020/NĐ-CP; Thông tư 281/2016/TT-BTC",
        "time": (15, "working_days"),
        "fee": 2500000,
        "fee_note": "2.500.000 đồng/trường hợp. Thời hạn là phần việc của Sở Tư pháp.",
        "online_level": "partial",
        "documents": [
            ("Đơn xin trở lại quốc tịch Việt Nam (Mẫu TP/QT-2020-ĐXTLQT.1)", "original", 3),
            ("Bản khai lý lịch", "original", 3),
            ("Bản sao Hộ chiếu, giấy tờ có giá trị thay thế", "certified_copy", 3),
            ("Phiếu lý lịch tư pháp", "original", 3),
            ("Giấy tờ chứng minh người đó đã từng có quốc tịch Việt Nam", "certified_copy", 3),
        ],
    },
    {
        "code": "DEMO-CC-01",
        "field": "CC",
        "name": "Đăng ký hành nghề và cấp Thẻ công chứng viên",
        "legal_basis": "Luật Công chứng số 46/2024/QH15; Nghị định 104/2025/NĐ-CP; Thông tư của Bộ Tư pháp hướng dẫn Luật Công chứng",
        "time": (10, "working_days"),
        "fee": 0,
        "fee_note": FEE_NOTE_CHECK,
        "online_level": "partial",
        "documents": [
            (
                "Giấy đề nghị đăng ký hành nghề và cấp Thẻ công chứng viên của tổ chức hành nghề công chứng",
                "original",
                1,
            ),
            ("Bản sao Quyết định bổ nhiệm công chứng viên", "certified_copy", 1),
            (
                "Giấy tờ chứng minh công chứng viên là thành viên hợp danh hoặc hợp đồng lao động",
                "copy",
                1,
            ),
            ("Ảnh chân dung cỡ 2 cm x 3 cm", "original", 2),
        ],
    },
    {
        "code": "DEMO-CC-02",
        "field": "CC",
        "name": "Đăng ký hoạt động Văn phòng công chứng",
        "legal_basis": "Luật Công chứng số 46/2024/QH15; Nghị định 104/2025/NĐ-CP; Thông tư 257/2016/TT-BTC",
        "time": (10, "working_days"),
        "fee": 1000000,
        "fee_note": "Phí thẩm định điều kiện hoạt động Văn phòng công chứng: 1.000.000 đồng/hồ sơ.",
        "online_level": "partial",
        "documents": [
            ("Đơn đề nghị đăng ký hoạt động Văn phòng công chứng", "original", 1),
            ("Bản sao Quyết định cho phép thành lập Văn phòng công chứng", "certified_copy", 1),
            ("Giấy tờ chứng minh về trụ sở của Văn phòng công chứng", "copy", 1),
            ("Hồ sơ đăng ký hành nghề của các công chứng viên", "original", 1),
        ],
    },
    {
        "code": "DEMO-LS-01",
        "field": "LS",
        "name": "Đăng ký hoạt động của tổ chức hành nghề luật sư",
        "legal_basis": "Luật Luật sư 2006 (sửa đổi, bổ sung 2012); Nghị định 123/2013/NĐ-CP; Thông tư 05/2021/TT-BTP; Thông tư 220/2016/TT-BTC",
        "time": (10, "working_days"),
        "fee": 100000,
        "fee_note": "Lệ phí cấp Giấy đăng ký hoạt động: 100.000 đồng/giấy. " + FEE_NOTE_CHECK,
        "online_level": "full",
        "documents": [
            ("Giấy đề nghị đăng ký hoạt động của tổ chức hành nghề luật sư", "original", 1),
            ("Dự thảo Điều lệ của công ty luật (đối với công ty luật)", "original", 1),
            (
                "Bản sao Chứng chỉ hành nghề luật sư, Thẻ luật sư của luật sư thành lập",
                "certified_copy",
                1,
            ),
            ("Giấy tờ chứng minh về trụ sở của tổ chức hành nghề luật sư", "copy", 1),
        ],
    },
    {
        "code": "DEMO-GD-01",
        "field": "GD",
        "name": "Bổ nhiệm giám định viên tư pháp ở cấp tỉnh",
        "legal_basis": "Luật Giám định tư pháp 2012 (sửa đổi, bổ sung 2020); Nghị định 85/2013/NĐ-CP; Thông tư 11/2020/TT-BTP",
        "time": (20, "working_days"),
        "fee": 0,
        "fee_note": "Không thu phí.",
        "online_level": "partial",
        "documents": [
            ("Văn bản đề nghị bổ nhiệm giám định viên tư pháp của cơ quan, tổ chức", "original", 1),
            (
                "Bản sao văn bằng đào tạo đại học phù hợp với lĩnh vực chuyên môn",
                "certified_copy",
                1,
            ),
            ("Sơ yếu lý lịch và Phiếu lý lịch tư pháp", "original", 1),
            ("Giấy xác nhận về thời gian thực tế hoạt động chuyên môn", "original", 1),
        ],
    },
    {
        "code": "DEMO-DG-01",
        "field": "DG",
        "name": "Đăng ký hoạt động của doanh nghiệp đấu giá tài sản",
        "legal_basis": "Luật Đấu giá tài sản 2016 (sửa đổi, bổ sung 2024); Nghị định 172/2024/NĐ-CP; Thông tư 106/2017/TT-BTC",
        "time": (7, "working_days"),
        "fee": 1000000,
        "fee_note": "Phí thẩm định điều kiện hoạt động: 1.000.000 đồng/hồ sơ. " + FEE_NOTE_CHECK,
        "online_level": "partial",
        "documents": [
            ("Đơn đề nghị đăng ký hoạt động doanh nghiệp đấu giá tài sản", "original", 1),
            ("Điều lệ (đối với công ty đấu giá hợp danh)", "original", 1),
            ("Bản sao Chứng chỉ hành nghề đấu giá, Thẻ đấu giá viên", "certified_copy", 1),
            ("Giấy tờ chứng minh có trụ sở, cơ sở vật chất bảo đảm hoạt động đấu giá", "copy", 1),
        ],
    },
    {
        "code": "DEMO-HT-01",
        "field": "HT",
        "name": "Đăng ký kết hôn có yếu tố nước ngoài",
        "legal_basis": "Luật Hộ tịch 2014; Luật Hôn nhân và gia đình 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP. Từ 01/7/2025 thẩm quyền thuộc UBND cấp xã (dữ liệu minh họa).",
        "time": (15, "working_days"),
        "fee": 1000000,
        "fee_note": "Lệ phí do Hội đồng nhân dân cấp tỉnh quy định. " + FEE_NOTE_CHECK,
        "online_level": "partial",
        "documents": [
            ("Tờ khai đăng ký kết hôn (theo mẫu)", "original", 1),
            (
                "Giấy xác nhận tình trạng hôn nhân hoặc giấy tờ chứng minh tình trạng hôn nhân của người nước ngoài",
                "original",
                1,
            ),
            ("Giấy xác nhận của tổ chức y tế về việc không mắc bệnh tâm thần", "original", 2),
            (
                "Bản sao Hộ chiếu hoặc giấy tờ có giá trị thay thế của người nước ngoài",
                "certified_copy",
                1,
            ),
        ],
    },
    {
        "code": "DEMO-HT-02",
        "field": "HT",
        "name": "Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP",
        "time": (5, "working_days"),
        "fee": 75000,
        "fee_note": FEE_NOTE_CHECK,
        "online_level": "full",
        "documents": [
            ("Tờ khai ghi chú kết hôn (theo mẫu)", "original", 1),
            (
                "Bản sao giấy tờ chứng nhận việc kết hôn do cơ quan có thẩm quyền của nước ngoài cấp",
                "certified_copy",
                1,
            ),
        ],
    },
    {
        "code": "DEMO-HT-03",
        "field": "HT",
        "name": "Cấp bản sao Trích lục hộ tịch",
        "legal_basis": "Luật Hộ tịch 2014 (Điều 64); Nghị định 123/2015/NĐ-CP; Thông tư 281/2016/TT-BTC",
        "time": (0, "working_days"),
        "same_day": True,
        "fee": 8000,
        "fee_note": "8.000 đồng/bản sao Trích lục. Trả trong ngày; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo.",
        "online_level": "full",
        "documents": [
            ("Tờ khai cấp bản sao trích lục hộ tịch (theo mẫu)", "original", 1),
            ("Bản chụp giấy tờ tùy thân của người yêu cầu", "copy", 1),
        ],
    },
    {
        "code": "DEMO-NCN-01",
        "field": "NCN",
        "name": "Giải quyết việc người nước ngoài cư trú ở nước ngoài nhận trẻ em Việt Nam làm con nuôi",
        "legal_basis": "Luật Nuôi con nuôi 2010; Nghị định 19/2011/NĐ-CP (sửa đổi bởi Nghị định 24/2019/NĐ-CP); Nghị định 114/2016/NĐ-CP",
        "time": (30, "working_days"),
        "fee": 9000000,
        "fee_note": "Lệ phí đăng ký nuôi con nuôi nước ngoài: 9.000.000 đồng/trường hợp. Thời hạn là phần việc của Sở Tư pháp.",
        "online_level": "none",
        "documents": [
            ("Hồ sơ của người nhận con nuôi do Cục Con nuôi chuyển đến", "original", 1),
            ("Hồ sơ của trẻ em được giới thiệu làm con nuôi", "original", 1),
            (
                "Ý kiến đồng ý của cha mẹ đẻ, người giám hộ và của trẻ em từ đủ 9 tuổi",
                "original",
                1,
            ),
        ],
    },
    {
        "code": "DEMO-TGPL-01",
        "field": "TGPL",
        "name": "Thủ tục yêu cầu trợ giúp pháp lý",
        "legal_basis": "Luật Trợ giúp pháp lý 2017; Nghị định 144/2017/NĐ-CP; Thông tư 12/2018/TT-BTP",
        "time": (2, "working_days"),
        "fee": 0,
        "fee_note": "Miễn phí.",
        "online_level": "partial",
        "documents": [
            ("Đơn yêu cầu trợ giúp pháp lý (theo mẫu)", "original", 1),
            ("Giấy tờ chứng minh là người được trợ giúp pháp lý", "copy", 1),
            ("Các giấy tờ, tài liệu có liên quan đến vụ việc", "copy", 1),
        ],
    },
    {
        "code": "DEMO-CT-01",
        "field": "CT",
        "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (Điều 7: trong ngày; sau 15 giờ thì trong ngày làm việc tiếp theo); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "time": (0, "working_days"),
        "same_day": True,
        "fee": 2000,
        "fee_note": "2.000 đồng/trang; từ trang thứ ba: 1.000 đồng/trang; tối đa 200.000 đồng/bản.",
        "online_level": "partial",
        "documents": [
            ("Bản chính giấy tờ, văn bản làm cơ sở chứng thực bản sao", "original", 1),
            ("Bản sao cần chứng thực", "copy", 1),
        ],
    },
    {
        "code": "DEMO-NC-01",
        "field": "CC",
        "name": "Tiếp nhận, cập nhật, giải tỏa thông tin ngăn chặn trong phần mềm quản lý hồ sơ công chứng",
        "legal_basis": "Luật Công chứng số 46/2024/QH15; Nghị định 104/2025/NĐ-CP; quy chế quản lý cơ sở dữ liệu công chứng của tỉnh (thủ tục nội bộ; thời gian rút ngắn từ 24 giờ xuống 16 giờ làm việc)",
        "time": (16, "working_hours"),
        "fee": 0,
        "fee_note": "Thủ tục nội bộ, không thu phí.",
        "online_level": "none",
        "documents": [
            ("Văn bản yêu cầu ngăn chặn hoặc giải tỏa của cơ quan có thẩm quyền", "original", 1),
            ("Tài liệu kèm theo về tài sản bị ngăn chặn", "copy", 1),
        ],
    },
]

STEP_NAMES = [
    ("Tiếp nhận hồ sơ", "intake_clerk"),
    ("Thẩm định, xử lý hồ sơ", "specialist"),
    ("Lãnh đạo phê duyệt", "leader"),
    ("Trả kết quả", "intake_clerk"),
]


def step_budgets(total_hours: Decimal) -> list[Decimal]:
    """Intake, specialist, leader, return budgets that add up exactly to `total_hours`."""
    if total_hours <= 4:
        intake = back = total_hours / 8
        leader = total_hours / 4
    else:
        intake = back = Decimal(2)
        leader = (total_hours * Decimal("0.15")).quantize(Decimal(1))
    return [intake, total_hours - intake - back - leader, leader, back]


def total_hours(value: int, unit: str, same_day: bool) -> Decimal:
    if unit == "working_hours":
        return Decimal(value)
    if same_day and value == 0:
        return Decimal(
            2
        )  # from the 15:00 cut-off to the 17:00 close (deadlines.SAME_DAY_STEP_HOURS)
    return Decimal(value) * 8


def catalogue() -> dict[str, Any]:
    """The demo catalogue in the exchange format of `motcua.procedures.exchange`."""
    items = []
    for spec in PROCEDURES:
        value, unit = spec["time"]
        same_day = spec.get("same_day", False)
        budgets = step_budgets(total_hours(value, unit, same_day))
        items.append(
            {
                "code": spec["code"],
                "name": spec["name"],
                "field_code": spec["field"],
                "field_name": FIELDS[spec["field"]],
                "unit_code": DOJ_CODE,
                "legal_basis": spec["legal_basis"],
                "time_value": value,
                "time_unit": unit,
                "same_day_cutoff": same_day,
                "fee": spec["fee"],
                "fee_note": spec["fee_note"],
                "online_level": spec["online_level"],
                "supplement_mode": "pause",
                # The fully-online procedures with a fee take payment on the national portal.
                "payable_online": spec["fee"] > 0 and spec["online_level"] == "full",
                "calendar_name": "",
                "is_demo": True,
                "active": True,
                "documents": [
                    {
                        "order": i,
                        "name": name,
                        "form": form,
                        "count": count,
                        "mandatory": True,
                        # Issue 14: the authorisation letter only when applying for someone else.
                        "condition": when[0] if when else "always",
                    }
                    for i, (name, form, count, *when) in enumerate(spec["documents"], start=1)
                ],
                "steps": [
                    {"order": i, "name": name, "role": role, "budget_hours": str(budget)}
                    for i, ((name, role), budget) in enumerate(
                        zip(STEP_NAMES, budgets, strict=True), start=1
                    )
                ],
            }
        )
    return {"format": "motcua-catalogue", "version": 1, "procedures": items}


def load(stdout) -> None:
    """Load or refresh the demo catalogue of the Department of Justice (idempotent)."""
    load_units()
    result = import_catalogue(catalogue(), actor=None)
    stdout.write(
        f"Demo procedures: {len(result.created)} created, {len(result.updated)} updated "
        "(codes DEMO-… are illustrative)."
    )
