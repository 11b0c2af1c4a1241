from urllib.parse import quote
from tests.test_access_matrix import world_db, world, MATRIX  # noqa
from tests.conftest import Auth
HOSTILE = ["", "abc", "-1", "0", "2147483647", "2147483648", "9"*40, "1.5", "x"*5000, "\u202e", "１２", "%00", "[]"]
PARAMS = ["meeting", "from", "to", "from_meeting", "to_meeting", "mode", "version", "seen", "stamp", "editing", "part", "offset", "until", "page", "before", "instrument", "next"]
def test_x(app, world):
    urls = sorted({c.url for (m, r), cases in MATRIX.items() if m == "GET" for c in cases})
    n = 0
    for who in ("secretariat", "civil"):
      with app.app_context():
        c = app.test_client(); a = Auth(c); a.login(who)
        for url in urls:
            u = url.format(**world.ids).split("?")[0]
            for p in PARAMS:
                for v in HOSTILE:
                    r = c.get(u + "?" + p + "=" + quote(v), headers={"Authorization": f"Bearer {world.tokens[who]}"} if u.startswith("/api/") else {})
                    n += 1
                    if r.status_code >= 500:
                        print("!!", r.status_code, who, u, p, repr(v[:20]))
    print(n)
