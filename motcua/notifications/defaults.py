"""Built-in message templates (Django template syntax), used until an administrator edits them.

Messages to applicants (status_change, received, supplement_requested, payment_requested,
result_ready, sms) — placeholders: {{ code }}, {{ applicant_name }}, {{ procedure }},
{{ status }}, {{ note }}, {{ due_at }}, {{ link }} (the dossier in "My dossiers" for an applicant
with a citizen account, else the public tracking page with the code filled in), {{ receipt_link }}
(form 01; empty without a citizen account — the receipt is attached), {{ tracking_link }},
{{ rating_link }} (the public rating page), {{ has_account }}; result_ready also {{ result_number }} and
{{ verification_link }} (the public verification page of a result signed in motcua, else empty);
refused, stopped, apology and sms_apology also
{{ form_number }} and {{ form_title }} (the attached form in the dossier's rule version) and
{{ new_appointment }} ("HH:MM dd/mm/yyyy").

Messages to staff from the background jobs (motcua.reports.jobs): step_reminder (to the officer
holding a step before it is due) and step_overdue (to the unit's leaders once the step is past
due) — placeholders, all plain text: {{ code }} (dossier code), {{ procedure }} (procedure name),
{{ step }} (step name), {{ assignee }} (the officer holding the step: full name, else user name;
empty when nobody holds it), {{ due_at }} (the step's due time, "HH:MM dd/mm/yyyy", local time),
{{ unit }} (the unit of the step), {{ link }} (the dossier's staff page).
"""

from __future__ import annotations

#: key → language → (subject, text body)
DEFAULTS: dict[str, dict[str, tuple[str, str]]] = {
    "status_change": {
        "vi": (
            "Hồ sơ {{ code }}: {{ status }}",
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) đã chuyển sang trạng thái: {{ status }}."
            "{% if note %}\nGhi chú: {{ note }}{% endif %}\n\n"
            "Xem chi tiết: {{ link }}\n\nSở Tư pháp – Thân thiện – Đúng hẹn – Đơn giản",
        ),
        "en": (
            "Dossier {{ code }}: {{ status }}",
            "Dear {{ applicant_name }},\n\n"
            "Dossier {{ code }} ({{ procedure }}) is now: {{ status }}."
            "{% if note %}\nNote: {{ note }}{% endif %}\n\n"
            "Details: {{ link }}\n\nDepartment of Justice",
        ),
    },
    "received": {
        "vi": (
            "Giấy tiếp nhận hồ sơ {{ code }} (mẫu 01)",
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) đã được tiếp nhận."
            "{% if due_at %} Ngày hẹn trả kết quả: {{ due_at }}.{% endif %}\n\n"
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01) được đính kèm"
            "{% if receipt_link %}; bản in: {{ receipt_link }}{% endif %}\n"
            "Theo dõi hồ sơ: {{ link }}\n\nSở Tư pháp – Thân thiện – Đúng hẹn – Đơn giản",
        ),
        "en": (
            "Receipt for dossier {{ code }} (form 01)",
            "Dear {{ applicant_name }},\n\n"
            "Dossier {{ code }} ({{ procedure }}) has been received."
            "{% if due_at %} Appointment for the result: {{ due_at }}.{% endif %}\n\n"
            "The receipt (form 01) is attached"
            "{% if receipt_link %}; printable copy: {{ receipt_link }}{% endif %}\n"
            "Follow the dossier: {{ link }}\n\nDepartment of Justice",
        ),
    },
    "supplement_requested": {
        "vi": (
            "Hồ sơ {{ code }} cần bổ sung",
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) cần bổ sung: {{ note }}\n\n"
            "{% if has_account %}Bổ sung trực tuyến tại: {{ link }}"
            "{% else %}Xem chi tiết: {{ link }}{% endif %}\n\nSở Tư pháp",
        ),
        "en": (
            "Dossier {{ code }} needs a supplement",
            "Dear {{ applicant_name }},\n\nDossier {{ code }} ({{ procedure }}) needs: {{ note }}\n\n"
            "{% if has_account %}Supplement it online: {{ link }}"
            "{% else %}Details: {{ link }}{% endif %}\n\nDepartment of Justice",
        ),
    },
    "payment_requested": {
        "vi": (
            "Hồ sơ {{ code }}: chờ nộp phí, lệ phí",
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) đang chờ nộp phí, lệ phí. "
            "Nộp trực tuyến hoặc tại quầy: {{ link }}\n\nSở Tư pháp",
        ),
        "en": (
            "Dossier {{ code }}: fee payment due",
            "Dear {{ applicant_name }},\n\nDossier {{ code }} ({{ procedure }}) waits for the fee. "
            "Pay online or at the counter: {{ link }}\n\nDepartment of Justice",
        ),
    },
    "result_ready": {
        "vi": (
            "Hồ sơ {{ code }} đã có kết quả",
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) đã có kết quả"
            "{% if result_number %} (số {{ result_number }}){% endif %}. "
            "Nhận kết quả: {{ link }}\n"
            "{% if verification_link %}Kết quả điện tử đã được ký số; xác thực tại: "
            "{{ verification_link }}\n{% endif %}\n"
            "Mời ông/bà đánh giá mức độ hài lòng: {{ rating_link }}\n\nSở Tư pháp",
        ),
        "en": (
            "Dossier {{ code }}: the result is ready",
            "Dear {{ applicant_name }},\n\nDossier {{ code }} ({{ procedure }}) has its result"
            "{% if result_number %} (no. {{ result_number }}){% endif %}. "
            "Collect it: {{ link }}\n"
            "{% if verification_link %}The electronic result is digitally signed; verify it at "
            "{{ verification_link }}\n{% endif %}\n"
            "Please rate the service: {{ rating_link }}\n\nDepartment of Justice",
        ),
    },
    "step_reminder": {
        "vi": (
            "Nhắc việc: hồ sơ {{ code }} đến hạn lúc {{ due_at }}",
            'Bước "{{ step }}" của hồ sơ {{ code }} ({{ procedure }}) được giao cho anh/chị, '
            "hạn {{ due_at }}.\n\n{{ link }}\n",
        ),
        "en": (
            "Reminder: dossier {{ code }} is due at {{ due_at }}",
            'The step "{{ step }}" of dossier {{ code }} ({{ procedure }}) is assigned to you '
            "and is due at {{ due_at }}.\n\n{{ link }}\n",
        ),
    },
    "step_overdue": {
        "vi": (
            "Quá hạn: hồ sơ {{ code }}",
            'Bước "{{ step }}" của hồ sơ {{ code }} ({{ procedure }}) có hạn {{ due_at }} nhưng '
            'chưa xong (cán bộ: {{ assignee|default:"—" }}; đơn vị: {{ unit }}).\n\n{{ link }}\n',
        ),
        "en": (
            "Overdue: dossier {{ code }}",
            'The step "{{ step }}" of dossier {{ code }} ({{ procedure }}) was due at {{ due_at }} '
            'and is not finished (officer: {{ assignee|default:"—" }}; unit: {{ unit }}).'
            "\n\n{{ link }}\n",
        ),
    },
    "sms": {
        "vi": ("", "Ho so {{ code }}: {{ status }}. Tra cuu: {{ tracking_link }}"),
        "en": ("", "Dossier {{ code }}: {{ status }}. Track: {{ tracking_link }}"),
    },
    "refused": {
        "vi": (
            "Hồ sơ {{ code }}: từ chối giải quyết ({{ form_title }})",
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) không được giải quyết với lý do: {{ note }}\n\n"
            "{{ form_title }} (mẫu số {{ form_number }}) được đính kèm.\n"
            "Xem chi tiết: {{ link }}\n\nSở Tư pháp",
        ),
        "en": (
            "Dossier {{ code }}: refused",
            "Dear {{ applicant_name }},\n\n"
            "Dossier {{ code }} ({{ procedure }}) was refused: {{ note }}\n\n"
            "The refusal (form {{ form_number }}) is attached.\n"
            "Details: {{ link }}\n\nDepartment of Justice",
        ),
    },
    "stopped": {
        "vi": (
            "Hồ sơ {{ code }}: dừng giải quyết",
            "Kính gửi {{ applicant_name }},\n\n"
            "Việc giải quyết hồ sơ {{ code }} ({{ procedure }}) đã dừng với lý do: {{ note }}\n\n"
            "{% if form_number %}{{ form_title }} (mẫu số {{ form_number }}) được đính kèm.\n"
            "{% endif %}Xem chi tiết: {{ link }}\n\nSở Tư pháp",
        ),
        "en": (
            "Dossier {{ code }}: processing stopped",
            "Dear {{ applicant_name }},\n\n"
            "Processing of dossier {{ code }} ({{ procedure }}) has stopped: {{ note }}\n\n"
            "{% if form_number %}The stop notice (form {{ form_number }}) is attached.\n"
            "{% endif %}Details: {{ link }}\n\nDepartment of Justice",
        ),
    },
    "apology": {
        "vi": (
            "Hồ sơ {{ code }}: thư xin lỗi và hẹn lại ngày trả kết quả",
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) không bảo đảm thời hạn giải quyết "
            "({{ due_at }}). Lý do: {{ note }}\n\n"
            "Thời gian hẹn trả kết quả mới: {{ new_appointment }}.\n"
            "{{ form_title }} (mẫu số {{ form_number }}) được đính kèm.\n"
            "Xem chi tiết: {{ link }}\n\nSở Tư pháp",
        ),
        "en": (
            "Dossier {{ code }}: apology and new appointment",
            "Dear {{ applicant_name }},\n\n"
            "Dossier {{ code }} ({{ procedure }}) will not be ready by {{ due_at }}. "
            "Reason: {{ note }}\n\nNew appointment: {{ new_appointment }}.\n"
            "The letter (form {{ form_number }}) is attached.\n"
            "Details: {{ link }}\n\nDepartment of Justice",
        ),
    },
    "sms_apology": {
        "vi": (
            "",
            "Ho so {{ code }} bi cham, xin loi ong/ba. Hen tra ket qua moi: {{ new_appointment }}. "
            "Tra cuu: {{ tracking_link }}",
        ),
        "en": (
            "",
            "Dossier {{ code }} is delayed, we apologise. New appointment: {{ new_appointment }}. "
            "Track: {{ tracking_link }}",
        ),
    },
}
