"""The CSRF cookie is set by pages with forms only, so parallel fetches can't clobber it."""

from forum.core.middleware import CSRF_COOKIE


async def test_form_page_sets_the_csrf_cookie_for_a_year(client):
    response = await client.get("/login")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie


async def test_stylesheet_and_guest_404_leave_the_cookie_alone(client):
    for path in ("/static/css/forum.css", "/favicon.ico", "/no/such/page"):
        response = await client.get(path)
        assert "set-cookie" not in response.headers, path


async def test_a_form_made_before_a_parallel_fetch_still_submits(client, user):
    from support import PASSWORD

    form_page = await client.get("/login")
    token = form_page.text.split('name="csrf_token" value="')[1].split('"')[0]
    await client.get("/static/css/forum.css")  # the browser fetches this at the same time
    response = await client.post(
        "/login", data={"handle": user.handle, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303
