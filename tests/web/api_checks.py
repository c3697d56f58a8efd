"""Checks shared by the API tests."""

from __future__ import annotations


def check_error(response, status: int, code: str) -> dict:
    """The error object of a response, after checking the status and the body's exact shape (API.md)."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    return error
