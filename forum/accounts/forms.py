"""Registration and login input."""

from pydantic import BaseModel, ValidationInfo, field_validator

from forum.accounts.handles import clean_handle
from forum.accounts.passwords import password_problem
from forum.core.forms import clean_text


class Registration(BaseModel):
    handle: str
    password: str
    email: str = ""

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        return clean_handle(value)

    @field_validator("password")
    @classmethod
    def _password(cls, value: str, info: ValidationInfo) -> str:
        problem = password_problem(value, handle=info.data.get("handle", ""))
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = clean_text(value).strip()
        if value and ("@" not in value or len(value) > 254 or " " in value):
            raise ValueError(
                "That doesn't look like an email address; leave it empty if you prefer."
            )
        return value


class Login(BaseModel):
    handle: str
    password: str


class AccountDeletion(BaseModel):
    """DELETE /api/v1/me: the password confirms it's the member; the choice is theirs."""

    password: str
    keep_handle_on_wisdom: bool = False
