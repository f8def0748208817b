"""What the Flask and Django TFB apps share: the database settings, the queries rule."""
import os
import random
from urllib.parse import urlparse

_url = urlparse(os.environ.get("TFB_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hello_world"))
DB = {
    "dbname": _url.path.lstrip("/"),
    "user": _url.username or "postgres",
    "password": _url.password or "",
    "host": _url.hostname or "127.0.0.1",
    "port": _url.port or 5432,
}
TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "templates")
EXTRA_FORTUNE = "Additional fortune added at request time."


def query_count(raw):
    """An integer clamped to 1..500; anything else means 1."""
    try:
        n = int(raw)
    except (TypeError, ValueError):
        return 1
    return 1 if n < 1 else min(n, 500)


def random_world():
    return random.randint(1, 10000)


def distinct_ids(n):
    return random.sample(range(1, 10001), n)
