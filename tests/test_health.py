import pytest


@pytest.mark.django_db
def test_healthz_answers_200_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("broken_call", "failing", "answering"),
    [
        ("ici_site.views.cache.set", "cache", "database"),
        ("ici_site.views.connection.cursor", "database", "cache"),
    ],
)
def test_healthz_answers_503_when_one_of_them_fails(
    client, monkeypatch, broken_call, failing, answering
):
    def broken(*args, **kwargs):
        raise ConnectionError(f"{failing} down")

    monkeypatch.setattr(broken_call, broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        failing: "failing",
        answering: "ok",
    }
