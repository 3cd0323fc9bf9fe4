"""What every status and kind is called: the one way a stored code becomes words on a page or in an export.

Each domain registers its vocabularies (a mapping code → lazy label) when its modules are imported;
pages use the `label` filter (`{{ meeting.status | label('meeting_status') }}`) and exports call
`label()`. A test renders every page with fixtures in every status and checks no code shows.
"""

from collections.abc import Mapping

_VOCABULARIES: dict[str, Mapping] = {}


def register_labels(**vocabularies: Mapping) -> None:
    """Declare vocabularies, e.g. `register_labels(meeting_status=STATUS_LABELS)`; a second declaration of
    the same name adds its labels (a feature names its own audit actions beside the log's list)."""
    for name, labels in vocabularies.items():
        _VOCABULARIES[name] = {**_VOCABULARIES[name], **labels} if name in _VOCABULARIES else labels


def vocabulary(name: str) -> Mapping:
    """The labels of one vocabulary (KeyError for a name nobody registered: a typo in a template)."""
    return _VOCABULARIES[name]


def vocabularies() -> dict[str, Mapping]:
    return dict(_VOCABULARIES)


def label(value, name: str) -> str:
    """The label of `value` in vocabulary `name`; empty for no value.

    A value missing from its vocabulary is shown as is (tests make sure every value has a label).
    """
    if value is None or value == "":
        return ""
    labels = _VOCABULARIES[name]
    found = labels.get(value)
    if found is None and not isinstance(value, str | bool):
        found = labels.get(str(value))
    return str(found) if found is not None else str(value)
