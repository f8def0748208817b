"""Flask with psycopg2 and Jinja2 (render_template), one connection per worker process."""
import json

import psycopg2
from flask import Flask, Response, render_template, request

from common import DB, EXTRA_FORTUNE, TEMPLATE_DIR, distinct_ids, query_count, random_world

app = Flask(__name__, template_folder=TEMPLATE_DIR)
# Flask autoescapes only *.html etc. by default; the shared template is fortunes.tmpl.
app.jinja_env.autoescape = True
_conn = None


def cursor():
    global _conn
    if _conn is None:
        _conn = psycopg2.connect(**DB)
        _conn.autocommit = True
    return _conn.cursor()


def as_json(data):
    return Response(json.dumps(data), mimetype="application/json")


def read_world(cur, wid):
    cur.execute("SELECT id, randomnumber FROM world WHERE id = %s", (wid,))
    row = cur.fetchone()
    return {"id": row[0], "randomNumber": row[1]}


@app.route("/json")
def hello_json():
    return as_json({"message": "Hello, World!"})


@app.route("/plaintext")
def plaintext():
    return Response("Hello, World!", mimetype="text/plain")


@app.route("/db")
def single_query():
    with cursor() as cur:
        return as_json(read_world(cur, random_world()))


@app.route("/queries")
def queries():
    n = query_count(request.args.get("queries"))
    with cursor() as cur:
        return as_json([read_world(cur, random_world()) for _ in range(n)])


@app.route("/fortunes")
def fortunes():
    with cursor() as cur:
        cur.execute("SELECT id, message FROM fortune")
        rows = [{"id": i, "message": m} for i, m in cur.fetchall()]
    rows.append({"id": 0, "message": EXTRA_FORTUNE})
    rows.sort(key=lambda f: f["message"])
    return Response(render_template("fortunes.tmpl", fortunes=rows), content_type="text/html; charset=utf-8")


@app.route("/updates")
def updates():
    n = query_count(request.args.get("queries"))
    with cursor() as cur:
        worlds = [read_world(cur, wid) for wid in distinct_ids(n)]
        for w in worlds:
            w["randomNumber"] = random_world()
        ordered = sorted(worlds, key=lambda w: w["id"])
        values = ",".join(["(%s::int,%s::int)"] * len(ordered))
        params = [x for w in ordered for x in (w["id"], w["randomNumber"])]
        cur.execute(
            "UPDATE world SET randomnumber = v.r FROM (VALUES " + values + ") AS v(id, r) WHERE world.id = v.id",
            params,
        )
    return as_json(worlds)
