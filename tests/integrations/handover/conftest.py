"""Fixtures of the hand-over API: clients of units A and B, tokens, a valid payload."""

from __future__ import annotations

import base64

import pytest
from real_files import real_image, real_pdf

from motcua.integrations.handover.clients import apiclient_create, token_issue

PDF = real_pdf()
PNG = real_image("PNG")
URL = "/api/v1/handover/dossiers"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def client_a(units):
    return apiclient_create(actor=None, name="TTPVHCC Huế", unit=units["A"], scopes="handover")


@pytest.fixture
def client_b(units):
    return apiclient_create(actor=None, name="Nội vụ", unit=units["B"], scopes="handover")


@pytest.fixture
def token_a(client_a):
    return token_issue(client_id=client_a.client.client_id, client_secret=client_a.secret).token


@pytest.fixture
def token_b(client_b):
    return token_issue(client_id=client_b.client.client_id, client_secret=client_b.secret).token


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture
def payload(procedure, units):
    def make(code: str = "H57.22-251201-0001", **overrides):
        body = {
            "code": code,
            "procedure_code": procedure.code,
            "receiving_agency": units["A"].code,
            "channel": "counter",
            "applicant": {
                "name": "Trần Thị Bình",
                "id_type": "cccd",
                "id_number": "046195000321",
                "phone": "0905123456",
                "email": "binh@example.org",
                "address": "3 Hùng Vương, Huế",
            },
            "submitted_at": "2025-12-01T08:10:00+07:00",
            "received_at": "2025-12-01T08:15:00+07:00",
            "documents": [
                {
                    "name": "Tờ khai",
                    "form": "original",
                    "files": [{"filename": "to-khai.pdf", "content_base64": b64(PDF)}],
                }
            ],
        }
        body.update(overrides)
        return body

    return make
