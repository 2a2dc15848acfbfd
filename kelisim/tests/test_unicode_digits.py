"""Characters Python calls digits but int() refuses ('²', '①') never reach int(): a query
parameter with them is an ordinary bad value, not a server error."""

import pytest
from django.test import Client

URLS = [
    "/api/v1/search/?q=Қордай&page={v}",
    "/api/v1/territories/?level={v}",
    "/api/v1/events/?visit={v}",
    "/api/v1/appeals/?department={v}",
    "/appeals/?department={v}&executor={v}&territory={v}",
    "/calendar/?visit={v}",
    "/dashboard/?territory={v}",
]


@pytest.mark.parametrize("value", ["²", "①", "３"], ids=["superscript", "circled", "fullwidth"])
@pytest.mark.parametrize("url", URLS)
def test_a_digit_that_int_refuses_is_not_a_server_error(seed_visit, make_user, url, value):
    client = Client()
    client.force_login(make_user("regional_coordinator", "310000000"))
    answer = client.get(url.format(v=value))
    assert answer.status_code in (200, 400), answer.status_code
