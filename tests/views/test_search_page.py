"""The search page: full page and htmx fragment, grouped results, escaped snippets."""

from __future__ import annotations

import pytest

from redline.models import Comment
from tests.conftest import Auth
from tests.world import STAKEHOLDER_SECRETS, build_world


@pytest.fixture
def world(db_session):
    return build_world(db_session, mark="<b>&</b>")


@pytest.fixture
def auth(client, world):  # the world makes its own accounts (not the `users` fixture)
    return Auth(client)


def test_results_are_grouped_by_provision_and_marked(auth, world):
    auth.login("drafter")
    page = auth.client.get("/search/?q=%22competent+authorities%22&scope=versions")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('class="search-group"') == 1
    assert "<mark>competent authorities</mark>" in html
    assert 'aria-label="Site search"' in html


def test_htmx_gets_the_results_fragment(auth, world):
    auth.login("drafter")
    r = auth.htmx_get("/search/?q=order")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="search-results"' in html and "<html" not in html


def test_snippets_are_escaped(auth, world, db_session):
    auth.login("drafter")
    comment = db_session.get(Comment, world["ic"])
    comment.body = "<script>alert(1)</script> quokka & <mark>x</mark>"
    db_session.commit()
    html = auth.client.get("/search/?q=quokka&scope=comments").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "&lt;mark&gt;x&lt;/mark&gt;" in html and "<mark>quokka</mark>" in html
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in auth.client.get("/search/?q=Article").get_data(
        as_text=True
    )


@pytest.mark.parametrize("scope", ("text", "versions", "comments"))
def test_a_stakeholder_page_shows_nothing_unpublished(auth, world, scope):
    auth.login("civil")
    for q in ("SECRET", "Each", "comment", "Article"):
        html = auth.client.get(f"/search/?q={q}&scope={scope}").get_data(as_text=True)
        assert not any(s in html for s in STAKEHOLDER_SECRETS)
    assert "Disposition" not in html


@pytest.mark.parametrize(
    "url", ("/search/?q=%22%22", "/search/?q=x&scope=all", "/search/?q=x&category=nobody")
)
def test_bad_queries_are_shown_beside_the_box(auth, world, url):
    auth.login("drafter")
    r = auth.client.get(url)
    assert r.status_code == 400 and 'role="alert"' in r.get_data(as_text=True)


def test_the_empty_form(auth, world):
    auth.login("observer")
    r = auth.client.get("/search/")
    assert r.status_code == 200 and "Words to find" in r.get_data(as_text=True)
