"""GET /api/v1/wisdom/search: what the composer's "Cite wisdom" panel reads."""

import pytest


async def test_a_search_answers_each_quote_with_the_markdown_that_cites_it(
    client, other_user, make_board, make_thread, keep_wisdom
):
    post = await make_thread(await make_board(), other_user)
    wisdom = await keep_wisdom(
        post, "Sit back and listen.", title="Listening first", tags=("r-talk",)
    )

    response = await client.get("/api/v1/wisdom/search", params={"q": "listening"})

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": wisdom.id,
                "title": "Listening first",
                "text": "Sit back and listen.",
                "author": "SteadyOak",
                "tags": ["r-talk"],
                "citation_count": 0,
                "url": f"/wisdom/{wisdom.id}",
                "markdown": f"[wisdom={wisdom.id}]",
            }
        ]
    }


async def test_members_only_wisdom_is_for_members_and_public_leaves_it_out(
    client, user, other_user, log_in, make_board, make_thread, keep_wisdom
):
    inner = await make_thread(await make_board("inner", members_only=True), other_user)
    open_ = await make_thread(await make_board("open"), other_user)
    private = await keep_wisdom(inner, "Detach, and breathe.")
    public = await keep_wisdom(open_, "Detach with love.")

    async def ids(**params: str) -> set[int]:
        response = await client.get("/api/v1/wisdom/search", params={"q": "detach", **params})
        assert response.status_code == 200
        return {item["id"] for item in response.json()["results"]}

    assert await ids() == {public.id}
    await log_in(client, user)
    assert await ids() == {public.id, private.id}
    assert await ids(public="true") == {public.id}


async def test_the_author_and_tag_filters_narrow_the_results(
    client, other_user, make_member, make_board, make_thread, keep_wisdom
):
    board = await make_board()
    theirs = await keep_wisdom(await make_thread(board, other_user), "Detach.", tags=("lc",))
    await keep_wisdom(await make_thread(board, await make_member("Rain.Walker")), "Detach too.")

    by_author = await client.get("/api/v1/wisdom/search", params={"author": "steadyoak"})
    by_tag = await client.get("/api/v1/wisdom/search", params={"tag": "lc"})

    assert [item["id"] for item in by_author.json()["results"]] == [theirs.id]
    assert [item["id"] for item in by_tag.json()["results"]] == [theirs.id]


async def test_limit_caps_the_results(client, other_user, make_board, make_thread, keep_wisdom):
    post = await make_thread(await make_board(), other_user)
    for number in range(3):
        await keep_wisdom(post, f"Detach, day {number}.")

    response = await client.get("/api/v1/wisdom/search", params={"q": "detach", "limit": 2})

    assert len(response.json()["results"]) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 51}, "limit"), ({"q": "x" * 201}, "q")],
)
async def test_out_of_range_parameters_get_a_json_error_naming_the_field(client, params, field):
    response = await client.get("/api/v1/wisdom/search", params=params)

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert field in response.json()["fields"]


async def test_nothing_found_is_an_empty_list(client):
    response = await client.get("/api/v1/wisdom/search", params={"q": "gardening"})

    assert response.status_code == 200
    assert response.json() == {"results": []}
