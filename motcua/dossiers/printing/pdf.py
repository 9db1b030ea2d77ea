"""PDF versions of the printed forms (both rule versions), drawn with fpdf2 and the bundled Source Serif Pro font (OFL).

The font ships in `motcua/static/fonts/` so a fresh machine renders Vietnamese with no system
package. Layouts are registered per rule-version set and form kind in `LAYOUTS`; a set without its
own layout for a kind uses the common one (see docs/forms.md).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from .context import DEFAULT_SET, qr_png

# fontTools logs every glyph subset at INFO; that is noise in the server log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT = "SourceSerif"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


class FormPDF(FPDF):
    """An A4 page with the building blocks every form uses."""

    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_margins(20, 15, 15)
        self.set_auto_page_break(auto=True, margin=15)
        self.add_font(FONT, "", str(FONT_DIR / "SourceSerifPro-Regular.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "SourceSerifPro-Bold.ttf"))
        # The font's italics lack Vietnamese glyphs: italic text is set upright.
        self.add_font(FONT, "I", str(FONT_DIR / "SourceSerifPro-Regular.ttf"))
        self.add_font(FONT, "BI", str(FONT_DIR / "SourceSerifPro-Bold.ttf"))
        self.set_creator("motcua")
        self.add_page()
        self.set_font(FONT, size=12)

    # --- blocks ------------------------------------------------------------------------------
    def header_block(self, ctx: dict, *, left: list[str], number_line: str = "") -> None:
        """Issuer on the left, the national title and motto on the right (Decree 30/2020 layout)."""
        top = self.get_y()
        left_w = 75
        right_x = self.l_margin + left_w
        right_w = self.epw - left_w
        self.set_font(FONT, "", 11)
        for i, line in enumerate(left):
            self.set_font(FONT, "B" if i == len(left) - 1 else "", 11)
            self.multi_cell(left_w, 5.5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if number_line:
            self.set_font(FONT, "", 11)
            self.multi_cell(left_w, 6, number_line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bottom_left = self.get_y()
        self.set_xy(right_x, top)
        self.set_font(FONT, "B", 11.5)
        self.cell(right_w, 5.5, NATIONAL, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FONT, "B", 12)
        self.cell(right_w, 5.5, MOTTO, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_draw_color(0)
        line_y = self.get_y() + 0.5
        self.line(right_x + right_w / 2 - 25, line_y, right_x + right_w / 2 + 25, line_y)
        self.set_xy(right_x, line_y + 1.5)
        self.set_font(FONT, "I", 11)
        self.cell(right_w, 6, ctx["place_date"], align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_xy(self.l_margin, max(bottom_left, self.get_y()) + 6)

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font(FONT, "B", 14)
        self.multi_cell(0, 7, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(FONT, "", 12)
            self.multi_cell(0, 6, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)

    def para(self, text: str, *, bold: bool = False, size: float = 12, indent: float = 0) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, 6.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def field(self, label: str, value: object) -> None:
        """ "Label: value" with the value in bold; empty values print a dotted line to fill in."""
        self.set_font(FONT, "", 12)
        self.write(6.5, f"{label}: ")
        self.set_font(FONT, "B", 12)
        shown = "" if value is None else str(value)
        self.write(6.5, shown or "……………………………")
        self.ln(6.5)

    def table_block(self, headings: list[str], rows: list[list[str]], widths: tuple) -> None:
        self.set_font(FONT, "", 10.5)
        with self.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=5.5,
            headings_style=FontFace(emphasis="BOLD"),
            first_row_as_headings=True,
        ) as table:
            head = table.row()
            for heading in headings:
                head.cell(heading, align="C")
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self.set_font(FONT, "", 12)
        self.ln(3)

    def signatures(self, blocks: list[tuple[str, str, str]]) -> None:
        """Side-by-side signature blocks: (who, note, name)."""
        self.ln(4)
        if self.get_y() > self.h - 60:
            self.add_page()
        top = self.get_y()
        width = self.epw / len(blocks)
        for index, (who, note, name) in enumerate(blocks):
            x = self.l_margin + index * width
            self.set_xy(x, top)
            self.set_font(FONT, "B", 12)
            self.multi_cell(width, 6, who, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_font(FONT, "I", 10.5)
            self.multi_cell(width, 5, note, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            if name:
                self.set_xy(x, self.get_y() + 22)
                self.set_font(FONT, "B", 12)
                self.multi_cell(width, 6, name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_xy(self.l_margin, top + 45)

    def qr_block(self, url: str, caption: str) -> None:
        if self.get_y() > self.h - 55:
            self.add_page()
        y = self.get_y()
        self.image(io.BytesIO(qr_png(url)), x=self.l_margin, y=y, w=30, h=30)
        self.set_xy(self.l_margin + 34, y + 6)
        self.set_font(FONT, "", 10)
        self.multi_cell(self.epw - 34, 5, f"{caption}\n{url}", new_x=XPos.LMARGIN)
        self.set_xy(self.l_margin, y + 33)


def _issuer(ctx: dict, *, desk: bool) -> list[str]:
    lines = [ctx["unit_name"].upper()]
    if desk:
        lines.append(ctx["desk_name"])
    return lines


def _applicant_fields(pdf: FormPDF, ctx: dict, *, contacts: bool = True) -> None:
    applicant = ctx["applicant"]
    pdf.field("Tên tổ chức/cá nhân", applicant["name"])
    pdf.field("Địa chỉ", applicant["address"])
    if contacts:
        pdf.field("Số điện thoại", applicant["phone"])
        pdf.field("Email", applicant["email"])


def layout_form01(pdf: FormPDF, ctx: dict) -> None:
    pdf.header_block(
        ctx, left=_issuer(ctx, desk=True), number_line=f"Số: {ctx['receipt_number']}/TNHS"
    )
    pdf.title_block(ctx["title"], f"Mã hồ sơ: {ctx['dossier'].code}")
    pdf.para(f"{ctx['desk_name'].capitalize()} – {ctx['unit_name']}")
    pdf.para("Tiếp nhận hồ sơ của:")
    _applicant_fields(pdf, ctx)
    pdf.field("Nội dung yêu cầu giải quyết", ctx["procedure_name"])
    pdf.para("Thành phần hồ sơ nộp gồm:")
    rows = [
        [str(i), d["name"], d["form"], str(d["count"])]
        for i, d in enumerate(ctx["documents"], start=1)
    ]
    if rows:
        pdf.table_block(["TT", "Tên giấy tờ", "Hình thức", "Số lượng"], rows, (10, 105, 35, 20))
    else:
        pdf.para("(không có giấy tờ kèm theo danh mục)")
    pdf.field("Số lượng hồ sơ", f"{ctx['sets_count']} (bộ)")
    pdf.field("Thời gian giải quyết hồ sơ theo quy định", ctx["processing_time"])
    pdf.field("Thời gian nhận hồ sơ", ctx["received"])
    pdf.field("Thời gian trả kết quả giải quyết hồ sơ", ctx["due"])
    pdf.field("Đăng ký nhận kết quả tại", ctx["delivery"])
    pdf.field(
        "Vào Sổ theo dõi hồ sơ",
        f"Quyển số {ctx['register_book']}, Số thứ tự {ctx['register_number']}",
    )
    pdf.signatures(
        [
            ("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", ctx["applicant"]["name"]),
            ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", ctx.get("officer", "")),
        ]
    )
    pdf.qr_block(ctx["tracking_url"], "Quét mã để tra cứu tình trạng hồ sơ:")


def layout_form02(pdf: FormPDF, ctx: dict) -> None:
    pdf.header_block(ctx, left=_issuer(ctx, desk=True))
    pdf.title_block(ctx["title"], f"Mã hồ sơ: {ctx['dossier'].code}")
    pdf.para(
        f"Hồ sơ của: {ctx['applicant']['name']}\nNội dung yêu cầu giải quyết: {ctx['procedure_name']}"
    )
    pdf.para("Sau khi kiểm tra, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
    for index, line in enumerate(ctx["requirements"], start=1):
        pdf.para(f"{index}. {line}", indent=5)
    pdf.para(f"Thời gian yêu cầu: {ctx['requested']}")
    pdf.para(
        "Lý do: hồ sơ chưa đầy đủ hoặc chưa hợp lệ theo quy định. Trong quá trình hoàn thiện hồ sơ, "
        "nếu có vướng mắc, Ông/Bà liên hệ với cán bộ hướng dẫn để được giải đáp."
    )
    pdf.signatures([("NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", ctx["officer"])])


def layout_form03(pdf: FormPDF, ctx: dict) -> None:
    pdf.header_block(ctx, left=_issuer(ctx, desk=True))
    pdf.title_block(ctx["title"], f"Mã hồ sơ: {ctx['dossier'].code}")
    after = ctx.get("after_reception", False)
    pdf.para(
        f"Bộ phận tiếp nhận và trả kết quả – {ctx['unit_name']} "
        f"{'đã tiếp nhận' if after else 'nhận được'} hồ sơ của: {ctx['applicant']['name']}"
    )
    pdf.field("Nội dung yêu cầu giải quyết", ctx["procedure_name"])
    if after:
        pdf.para(
            "Qua thẩm định, hồ sơ không đủ điều kiện giải quyết; cơ quan, đơn vị từ chối giải "
            "quyết hồ sơ này với lý do sau:"
        )
    else:
        pdf.para(
            "Qua xem xét, cơ quan, đơn vị từ chối tiếp nhận, giải quyết hồ sơ này với lý do sau:"
        )
    for line in ctx["reasons"]:
        pdf.para(f"– {line}", indent=5)
    if ctx["refused"]:
        pdf.para(f"Thời gian: {ctx['refused']}")
    pdf.para("Xin thông báo để Ông/Bà được biết và thực hiện.")
    if after:
        signer = ("THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", ctx.get("officer", ""))
    else:
        signer = ("NGƯỜI TIẾP NHẬN", "(Ký và ghi rõ họ tên)", ctx.get("officer", ""))
    pdf.signatures([signer])


def layout_form04(pdf: FormPDF, ctx: dict) -> None:
    pdf.header_block(ctx, left=[ctx["unit_name"].upper()])
    pdf.title_block(ctx["title"], f"Mã hồ sơ: {ctx['dossier'].code}")
    pdf.para(
        f"{ctx['unit_name']} xin gửi lời xin lỗi đến Ông/Bà {ctx['applicant']['name']} vì hồ sơ "
        f"đề nghị giải quyết thủ tục “{ctx['procedure_name']}” đã bị quá hạn giải quyết so với "
        f"thời gian hẹn trả kết quả ({ctx['due']})."
    )
    pdf.para("Lý do:")
    for line in ctx["reasons"]:
        pdf.para(f"– {line}", indent=5)
    pdf.para(
        "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. Chúng tôi xin hẹn lại thời gian trả kết quả "
        f"vào: {ctx['new_appointment']}."
    )
    pdf.para("Mong nhận được sự thông cảm của Ông/Bà. Xin trân trọng cảm ơn.")
    pdf.signatures([("THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", "")])


def layout_apology_extension(pdf: FormPDF, ctx: dict) -> None:
    """Circular 03/2025 form 04: apology and request to extend the processing time."""
    pdf.header_block(ctx, left=[ctx["unit_name"].upper()])
    pdf.title_block(ctx["title"], f"Mã hồ sơ: {ctx['dossier'].code}")
    pdf.para(
        f"{ctx['unit_name']} xin gửi lời xin lỗi đến Ông/Bà {ctx['applicant']['name']} vì hồ sơ "
        f"đề nghị giải quyết thủ tục “{ctx['procedure_name']}” không bảo đảm thời hạn giải quyết "
        f"theo thời gian hẹn trả kết quả ({ctx['due']})."
    )
    pdf.para("Lý do:")
    for line in ctx["reasons"]:
        pdf.para(f"– {line}", indent=5)
    pdf.para(
        "Cơ quan, đơn vị đề nghị Ông/Bà đồng ý gia hạn thời gian giải quyết hồ sơ và hẹn lại thời "
        f"gian trả kết quả vào: {ctx['new_appointment']}."
    )
    pdf.para("Mong nhận được sự thông cảm của Ông/Bà. Xin trân trọng cảm ơn.")
    pdf.signatures([("THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", "")])


def layout_stop(pdf: FormPDF, ctx: dict) -> None:
    """Circular 03/2025 form 05: notice that processing of the dossier is stopped."""
    pdf.header_block(ctx, left=[ctx["unit_name"].upper()])
    pdf.title_block(ctx["title"], f"Mã hồ sơ: {ctx['dossier'].code}")
    pdf.para(f"Kính gửi: Ông/Bà {ctx['applicant']['name']}")
    received = f", tiếp nhận lúc {ctx['received']}" if ctx["received"] else ""
    pdf.para(
        f"{ctx['unit_name']} thông báo dừng giải quyết hồ sơ đề nghị giải quyết thủ tục "
        f"“{ctx['procedure_name']}”{received}, với lý do sau:"
    )
    for line in ctx["reasons"]:
        pdf.para(f"– {line}", indent=5)
    if ctx["stopped"]:
        pdf.para(f"Thời điểm dừng giải quyết: {ctx['stopped']}")
    pdf.para("Xin thông báo để Ông/Bà được biết.")
    pdf.signatures([("THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", "")])


def layout_form05(pdf: FormPDF, ctx: dict) -> None:
    pdf.header_block(ctx, left=_issuer(ctx, desk=True))
    pdf.title_block(ctx["title"], f"Mã hồ sơ: {ctx['dossier'].code}")
    pdf.field("Cơ quan, đơn vị giải quyết", ctx["unit_name"])
    pdf.field("Tên thủ tục", ctx["procedure_name"])
    pdf.field("Tên tổ chức/cá nhân", ctx["applicant"]["name"])
    pdf.field("Thời gian nhận hồ sơ", ctx["received"])
    pdf.field("Thời gian hẹn trả kết quả", ctx["due"])
    if ctx.get("cooperating"):
        pdf.field("Cơ quan phối hợp (liên thông)", ", ".join(ctx["cooperating"]))
    rows = [
        [
            str(r["index"]),
            f"{r['name']}\nGiao: {r['from']}\nNhận: {r['to']}",
            r["handed_over"].short if r["handed_over"] else "",
            r["due"].short if r["due"] else "",
            r["finished"].short if r["finished"] else "",
            r["result"],
            r["note"],
        ]
        for r in ctx["rows"]
    ]
    pdf.table_block(
        ["TT", "Bước / giao – nhận", "Giao, nhận lúc", "Hạn", "Hoàn thành", "Kết quả", "Ghi chú"],
        rows,
        (8, 52, 24, 24, 24, 20, 23),
    )


Layout = Callable[[FormPDF, dict], None]
#: rule-version set → form kind → layout. Kinds missing in a set use DEFAULT_SET's layout.
LAYOUTS: dict[str, dict[str, Layout]] = {
    DEFAULT_SET: {
        "receipt": layout_form01,
        "supplement": layout_form02,
        "refusal": layout_form03,
        "apology": layout_form04,
        "stop": layout_stop,
        "control": layout_form05,
    },
    "118-2025": {"apology": layout_apology_extension},
}


def render_pdf(ctx: dict) -> bytes:
    """The PDF bytes of the form described by `ctx` (from `context.form_context`)."""
    kind = ctx["kind"]
    layouts = LAYOUTS.get(ctx["rule_set"], {})
    layout = layouts.get(kind) or LAYOUTS[DEFAULT_SET][kind]
    pdf = FormPDF()
    pdf.set_title(f"{ctx['title']} – {ctx['dossier'].code}")
    layout(pdf, ctx)
    pdf.ln(2)
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(
        0, 5, f"Mẫu số {ctx['number']} – {ctx['legal_basis']}.", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    return bytes(pdf.output())


#: Column widths (mm) of the register's 13 columns on a landscape A4 page (267 mm wide).
REGISTER_WIDTHS = (10, 30, 34, 12, 24, 28, 22, 17, 17, 17, 17, 17, 22)


def render_register_pdf(ctx: dict) -> bytes:
    """The register (form 06/07) of `ctx` (from `register.register_page_context`) as a landscape
    PDF, ending with the head of the agency's signature line (signed in motcua, issue 15)."""
    pdf = FPDF(orientation="L", format="A4", unit="mm")
    pdf.set_margins(15, 12, 15)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font(FONT, "", str(FONT_DIR / "SourceSerifPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "SourceSerifPro-Bold.ttf"))
    pdf.set_creator("motcua")
    title = f"{ctx['title']} (Mẫu số {ctx['number']})" if ctx["number"] else ctx["title"]
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        0,
        5,
        "Cơ quan: " + ", ".join(ctx["unit_names"]),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.multi_cell(
        0,
        5,
        f"Từ ngày {ctx['start']:%d/%m/%Y} đến ngày {ctx['end']:%d/%m/%Y}",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    pdf.set_font(FONT, "", 7)
    with pdf.table(
        col_widths=REGISTER_WIDTHS, line_height=3.5, headings_style=FontFace(emphasis="BOLD")
    ) as table:
        head = table.row()
        for name in ctx["headings"]:
            head.cell(name)
        numbers = table.row()
        for index in range(1, len(ctx["headings"]) + 1):
            numbers.cell(f"({index})")
        for values in ctx["rows"]:
            row = table.row()
            for value in values:
                row.cell("" if value is None else str(value))
    pdf.ln(4)
    if pdf.get_y() > pdf.h - 45:
        pdf.add_page()
    half = pdf.epw / 2
    pdf.set_x(pdf.l_margin + half)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(half, 6, "THỦ TRƯỞNG CƠ QUAN", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        half, 5, "(Ký, ghi rõ họ tên và đóng dấu)", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
    )
    return bytes(pdf.output())
