"""Smoke of the results core: provisional board, publication, live screen with its token."""

from __future__ import annotations

from competition.extensions import db
from tests.builders import Api, make_sheet, user


def test_results_flow(app, contest):
    competition, entries = contest
    design, lesson = competition.rounds
    org = Api(app, "org")
    group_id = competition.groups[0].id
    answer = org.get(f"/competitions/{competition.id}/results", group_id=group_id)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["published"] is False
    for judge in ("judge_zju", "judge_hzu", "expert"):
        for entry in entries:
            if (judge, entry.university.code) in (("judge_zju", "ZJU"), ("judge_hzu", "HZU")):
                continue
            for round_ in (design, lesson):
                values = [30, 50] if round_ is design else [25, 25, 20, 10]
                make_sheet(user(judge), round_, entry, values, token=f"{judge}{entry.id}{round_.id}")
    body = org.get(f"/competitions/{competition.id}/results", group_id=group_id).get_json()
    print(body)
    link = org.get(f"/competitions/{competition.id}/screen_link", group_id=group_id).get_json()
    token = link["url"].split("token=")[1]
    stage = org.post(
        f"/competitions/{competition.id}/stage",
        json={"group_id": group_id, "round_id": lesson.id, "entry_id": entries[0].id, "screen": "reveal"},
    )
    assert stage.status_code == 200, stage.get_json()
    print(stage.get_json())
    client = app.test_client()
    first = client.get(f"/api/v1/competitions/{competition.id}/live?group_id={group_id}&token={token}")
    assert first.status_code == 200
    again = client.get(
        f"/api/v1/competitions/{competition.id}/live?group_id={group_id}&token={token}",
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    bad = client.get(f"/api/v1/competitions/{competition.id}/live?group_id={group_id}&token=nope")
    assert bad.status_code == 403
    published = org.post(
        f"/competitions/{competition.id}/transition",
        json={"to": "published", "objection_ends": "2099-01-01", "contact": "省教育工会 0571-1234"},
    )
    assert published.status_code == 200, published.get_json()
    public = client.get(f"/api/v1/competitions/{competition.id}/results?group_id={group_id}")
    assert public.status_code == 200
    print(public.get_json())
    db.session.remove()
