"""The region's map alone, as an SVG file (`/territoires/carte.svg?couche=…`): for printing, embedding or
downloading; cached by browsers with an ETag of its data version."""

import hashlib

from flask import Blueprint, Response, abort, request
from flask_babel import get_locale

from clubess.territories import map_layers, svgmap
from clubess.territories.map_sections import href_prefix

bp = Blueprint("territory_map", __name__)


@bp.route("/territoires/carte.svg")
def region_svg():
    choice, _message = map_layers.parse_choice(request.args)
    drawn = svgmap.region_map(choice, href_prefix())
    if drawn is None:
        abort(404)
    response = Response(drawn.svg, mimetype="image/svg+xml")
    tag = f"{choice}|{drawn.version}|{get_locale()}|{href_prefix()}"
    response.set_etag(hashlib.sha1(tag.encode(), usedforsecurity=False).hexdigest()[:20])
    response.headers["Cache-Control"] = "public, no-cache"
    return response.make_conditional(request)
