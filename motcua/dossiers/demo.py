"""Demo: a handful of current dossiers on the staff worklist, made through the real services.

Received over the last working days by the demo clerk and moved along by the demo specialist and
leader, so the worklist shows dossiers at every stage, one of them overdue. Idempotent: nothing is
created when the demo clerk already has current dossiers.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.procedures.models import Procedure

from .choices import Channel
from .models import Dossier
from .services import Applicant, DocumentLine, dossier_receive, dossier_transition

APPLICANTS = [
    ("Nguyễn Văn An", "046095000123", "0905123456", "12 Lê Lợi, phường Thuận Hóa, Huế"),
    ("Trần Thị Bình", "046190001234", "0914567890", "45 Hùng Vương, phường Thuận Hóa, Huế"),
    ("Lê Văn Cường", "046087004321", "0935111222", "8 Nguyễn Huệ, phường Thuận Hóa, Huế"),
    ("Phạm Thị Dung", "046199007777", "0987654321", "20 Trần Hưng Đạo, phường Phú Xuân, Huế"),
    ("Hoàng Văn Em", "046201003333", "0768123123", "3 Chi Lăng, phường Phú Xuân, Huế"),
    ("Võ Thị Giang", "046185002222", "0905999888", "77 Phan Đình Phùng, phường Thuận Hóa, Huế"),
]
# (days ago received, how far the dossier has moved)
PLAN = [
    (9, "leader"),
    (6, "specialist"),
    (4, "specialist"),
    (2, "received"),
    (1, "ready"),
    (0, "received"),
]


def load(stdout) -> None:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["tiepnhan", "chuyenvien", "lanhdao"])
    }
    if len(users) < 3:
        stdout.write("Dossier demo skipped: the demo staff accounts are missing.")
        return
    clerk, specialist, leader = users["tiepnhan"], users["chuyenvien"], users["lanhdao"]
    if Dossier.objects.filter(is_historical=False, events__actor=clerk).exists():
        stdout.write("Current demo dossiers already present.")
        return
    procedures = list(
        Procedure.objects.filter(
            is_demo=True,
            active=True,
            unit__memberships__user=clerk,
            unit__memberships__role="intake_clerk",
        )
        .exclude(time_unit="working_hours")
        .order_by("code")
        .distinct()[: len(PLAN)]
    )
    if not procedures:
        stdout.write("Dossier demo skipped: no demo procedure for the demo clerk's unit.")
        return
    now = timezone.now()
    made = 0
    for index, ((days_ago, stage), person) in enumerate(zip(PLAN, APPLICANTS, strict=True)):
        procedure = procedures[index % len(procedures)]
        name, id_number, phone, address = person
        received = now - timedelta(days=days_ago, hours=1)
        dossier = dossier_receive(
            actor=clerk,
            procedure=procedure,
            applicant=Applicant(name=name, id_number=id_number, phone=phone, address=address),
            channel=Channel.COUNTER if index % 2 else Channel.POST,
            documents=[DocumentLine(d.name, d.form, d.count) for d in procedure.documents.all()],
            received_at=received,
        )
        steps = [("forward", clerk, specialist)]
        if stage in ("leader", "ready"):
            steps.append(("forward", specialist, leader))
        if stage == "ready":
            steps.append(("result_ready", leader, None))
        if stage == "received":
            steps = []
        at = received
        for action, actor, assignee in steps:
            at = at + timedelta(hours=2)
            dossier_transition(
                actor=actor,
                dossier_id=dossier.pk,
                action=action,
                at=min(at, now),
                assignee=assignee,
            )
        made += 1
    stdout.write(f"Demo dossiers on the worklist: {made} (received by 'tiepnhan').")
