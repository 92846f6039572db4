"""The portal's own settings plus one bare JSON view, the ceiling every benchmark figure is a share of.

Only the URL configuration differs: same middleware, database, cache, auth and templates as production.
"""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
