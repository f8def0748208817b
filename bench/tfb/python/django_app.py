"""Django in one module: settings, a World and a Fortune model, views, URLs, WSGI app.
ORM queries and Django templates (autoescape on), persistent connections."""
import json

import django
from django.conf import settings

from common import DB, EXTRA_FORTUNE, TEMPLATE_DIR, distinct_ids, query_count, random_world

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    SECRET_KEY="tfb-benchmark-only",
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=False,
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": DB["dbname"],
            "USER": DB["user"],
            "PASSWORD": DB["password"],
            "HOST": DB["host"],
            "PORT": DB["port"],
            "CONN_MAX_AGE": None,
        }
    },
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [TEMPLATE_DIR],
            "OPTIONS": {
                "loaders": [("django.template.loaders.cached.Loader", ["django.template.loaders.filesystem.Loader"])]
            },
        }
    ],
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import models, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402


class World(models.Model):
    randomnumber = models.IntegerField()

    class Meta:
        app_label = "tfb"
        db_table = "world"


class Fortune(models.Model):
    message = models.CharField(max_length=2048)

    class Meta:
        app_label = "tfb"
        db_table = "fortune"


def as_json(data):
    return HttpResponse(json.dumps(data), content_type="application/json")


def world_dict(w):
    return {"id": w.id, "randomNumber": w.randomnumber}


def hello_json(request):
    return as_json({"message": "Hello, World!"})


def plaintext(request):
    return HttpResponse("Hello, World!", content_type="text/plain")


def single_query(request):
    return as_json(world_dict(World.objects.get(id=random_world())))


def queries(request):
    n = query_count(request.GET.get("queries"))
    return as_json([world_dict(World.objects.get(id=random_world())) for _ in range(n)])


def fortunes(request):
    rows = list(Fortune.objects.all())
    rows.append(Fortune(id=0, message=EXTRA_FORTUNE))
    rows.sort(key=lambda f: f.message)
    return render(request, "fortunes.tmpl", {"fortunes": rows}, content_type="text/html; charset=utf-8")


def updates(request):
    n = query_count(request.GET.get("queries"))
    worlds = [World.objects.get(id=wid) for wid in distinct_ids(n)]
    for w in worlds:
        w.randomnumber = random_world()
    with transaction.atomic():
        World.objects.bulk_update(sorted(worlds, key=lambda w: w.id), ["randomnumber"])
    return as_json([world_dict(w) for w in worlds])


urlpatterns = [
    path("json", hello_json),
    path("plaintext", plaintext),
    path("db", single_query),
    path("queries", queries),
    path("fortunes", fortunes),
    path("updates", updates),
]

application = get_wsgi_application()
