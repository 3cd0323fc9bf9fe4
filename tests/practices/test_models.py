"""The bundled embedding models the matcher can use (`MATCH_MODEL`), compared in the bench."""

import math

import numpy as np
import pytest

from clubess.practices.search import semantic

PROBLEM = "Des familles n'arrivent plus à se nourrir correctement à la fin du mois."
FICHES = [
    "Une épicerie solidaire. Les familles paient une petite part du prix des produits. aide alimentaire",
    "Un trophée de l'ESS. La ville récompense chaque année des initiatives solidaires. valorisation",
]


@pytest.fixture
def model(app):
    def use(name):
        app.config["MATCH_MODEL"] = name

    with app.app_context():
        yield use
    app.config.pop("MATCH_MODEL", None)


def test_the_ensemble_reads_both_models_and_averages_their_meaning(model):
    model("e5-small-q4")
    e5_query, e5_docs = semantic.embed([PROBLEM], query=True)[0], semantic.embed(FICHES)
    model("use-multilingual-v3")
    use_query, use_docs = semantic.embed([PROBLEM], query=True)[0], semantic.embed(FICHES)
    model("e5-use")
    query, docs = semantic.embed([PROBLEM], query=True)[0], semantic.embed(FICHES)

    assert query.shape == (semantic.dimensions(),) == (384 + 512,)
    share = math.sqrt(semantic.USE_SHARE / semantic.MODELS["e5-small-q4"].scale)
    assert np.allclose(docs[:, :384], e5_docs, atol=1e-5)
    assert np.allclose(docs[:, 384:], share * use_docs, atol=1e-5)
    # one dot product: e5's cosine plus USE's at its share, on the matcher's common scale
    e5 = semantic.MODELS["e5-small-q4"]
    averaged = ((e5_docs @ e5_query - e5.floor) * e5.scale + semantic.USE_SHARE * (use_docs @ use_query)) / (
        1 + semantic.USE_SHARE
    )
    combined = semantic.meaning(docs @ query)
    assert np.argmax(combined) == np.argmax(averaged) == 0  # the grocery answers the families
    # the same average, only stretched (to keep the spread of one model's scores): an affine map of it
    stretch = semantic.model().scale / (e5.scale / (1 + semantic.USE_SHARE))
    assert combined[0] - combined[1] == pytest.approx(stretch * (averaged[0] - averaged[1]), rel=1e-4)
