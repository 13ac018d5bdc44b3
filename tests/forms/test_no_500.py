"""No input gets a 5xx: property-based (hypothesis) over the admin filters and the public forms,
on SQLite and PostgreSQL, plus the inputs that once did (huge page numbers, the last day of
the calendar, NUL bytes that PostgreSQL refuses, CR/LF in a login's `next`)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from form_inputs import Client, application_form
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Function-scoped fixtures (one app and database per test) are shared by every example: the
# property holds for any state the earlier examples left, which is what a live server sees.
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LISTS = ["/admin/applications", "/admin/briefings", "/admin/compliance", "/admin/export/applications.csv", "/admin/export/briefings.xlsx"]
FILTER_NAMES = ["q", "from", "to", "page", "status", "direction", "province", "project", "year", "institution"]
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["99999999999999999999", "-1", "0", "9999-12-31", "0001-01-01", "2024-02-30", "\x00", "a\x00b", "%00", "'; DROP TABLE x; --"]
)


@pytest.fixture
def staff(app) -> Client:
    client = Client(app)
    client.login()
    return client


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999999999999",
        "page=-5&to=9999-12-31&from=0001-01-01",
        "q=%00&status=%00&direction=%00",
        "q=" + "长" * 5000,
        "from=2024-13-01&to=yesterday",
    ],
)
@pytest.mark.parametrize("path", LISTS)
def test_inputs_that_once_gave_500_are_answered(staff, path, query):
    response = staff.get(f"{path}?{query}")
    assert response.status_code == 200, (path, query, response.status_code)


def test_a_login_next_with_cr_lf_returns_to_the_admin(client):
    client.login()
    client.post("/admin/logout", token_from="/admin/applications")
    token = client.token("/admin/login")
    for target in ("/admin/x\r\nSet-Cookie: a=b", "/admin/\\evil.example", "/admin//evil.example", "/admin/ x"):
        response = client.http.post(
            "/admin/login?" + urlencode({"next": target}),
            data={"csrf_token": token, "username": "staff", "password": "correct-horse-battery"},
        )
        assert response.status_code == 303 and response.headers["Location"] == "/admin/applications", target
        client.post("/admin/logout", token_from="/admin/applications")
        token = client.token("/admin/login")


@SETTINGS
@given(path=st.sampled_from(LISTS), values=st.dictionaries(st.sampled_from(FILTER_NAMES), texts, max_size=5))
def test_admin_filters_never_give_5xx(staff, path, values):
    response = staff.get(path + "?" + urlencode(values))
    assert response.status_code < 500, (path, values)


@SETTINGS
@given(fields=st.dictionaries(st.sampled_from(sorted(application_form())), texts, max_size=8))
def test_the_application_form_never_gives_5xx(client, fields):
    response = client.post("/apply/", application_form(**fields))
    assert response.status_code < 500, fields


@SETTINGS
@given(code=texts, path=st.sampled_from(["/briefings/signin", "/admin/login"]), name=texts)
def test_sign_in_forms_never_give_5xx(client, code, path, name):
    data = {"code": code} if path == "/briefings/signin" else {"username": name, "password": code}
    response = client.post(path, data, token_from="/briefings/" if path == "/briefings/signin" else path)
    assert response.status_code < 500, data
