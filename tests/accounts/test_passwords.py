"""Password policy (issue 13, gap 11): 10 characters, Vietnamese weak passwords, similarity."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.accounts.passwords import WeakPasswordValidator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    [
        "matkhau1",
        "tuphap123",
        "Hue12345",
        "Matkhau@2025",
        "MẬT KHẨU 2025",
        "TuPhap!!2025",
        "motcua123456",
        "123456789a",
        "Hue-12345678",
        "short1!Aa",
    ],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_the_bundled_list_alone_refuses_long_variants():
    validator = WeakPasswordValidator()
    for password in ("matkhau1234567890", "SoTuPhap#2025#2025", "Thừa Thiên Huế 2025"):
        with pytest.raises(ValidationError):
            validator.validate(password)
    validator.validate("Sông Hương 7 cầu!")  # not on the list


def test_similar_to_the_username_is_refused():
    user = get_user_model()(username="nguyenvanthanh", email="thanh@example.org")
    with pytest.raises(ValidationError):
        validate_password("nguyenvanthanh1", user)


def test_a_good_password_passes():
    validate_password("Sông-Hương-chảy-2025")


def test_signup_refuses_a_weak_password(client):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Lê Thị Cúc",
            "email": "cuc@example.org",
            "password1": "tuphap123",
            "password2": "tuphap123",
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="cuc@example.org").exists()
