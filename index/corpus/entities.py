"""Validating ``entities.yaml``: the people, places and things sources can be ``about``.

Each entity has an ``id``, a ``name``, a ``kind`` and optionally ``aliases``, a ``gender``
(female or male: only which "she" or "he" of a follow-up may mean it) and, for a place,
``within``: the places of the file it lies in (a question about China is about Nanking, one
about Nanking not about Shanghai). Names and aliases
are matched case-insensitively with whitespace normalized, so an alias may not be another
entity's name or alias. Every problem is logged as ``file:line: message``; an entity with any
problem is left out.
"""
from __future__ import annotations

from index.corpus.checks import check_keys, load_yaml_list, str_field, str_list, type_name
from index.corpus.errors import IssueLog
from index.corpus.model import Entity
from index.corpus.yamlsafe import LineDict
from index.text.verbatim import normalize_ws

__all__ = ["ENTITY_REQUIRED", "ENTITY_OPTIONAL", "load_entities"]

ENTITY_REQUIRED = ("id", "name", "kind")
ENTITY_OPTIONAL = ("aliases", "gender", "within")
PLACE = "place"
GENDERS = ("female", "male")

# (id, name, the name's line, aliases, their lines) of each entity, valid or not
_Parsed = tuple[str | None, str | None, int, list[str], list[int]]


def load_entities(log: IssueLog, data: bytes | None) -> tuple[list[Entity], set[str] | None]:
    """Entities, and every id declared (``None`` if the file is too broken to tell,
    in which case sources' ``about`` lists are not checked)."""
    rel = "entities.yaml"
    items = load_yaml_list(log, rel, data, "entities")
    if items is None:
        return [], None
    out: list[Entity] = []
    parsed: list[_Parsed] = []
    seen: dict[str, int] = {}
    within_lines: dict[str, int] = {}   # the line of each entity's ``within``
    usable = True
    for i, item in enumerate(items):
        item_line = items.line_for(i)
        if not isinstance(item, LineDict):
            log.err(rel, item_line, f"entity {i + 1} must be a mapping, not {type_name(item)}")
            usable = False
            continue
        n_before = len(log)
        eid = str_field(log, rel, item, "id", "entity")
        what = f"entity {eid!r}" if eid else f"entity {i + 1}"
        check_keys(log, rel, item, ENTITY_REQUIRED, ENTITY_OPTIONAL, what, item.line)
        name = str_field(log, rel, item, "name", what)
        kind = str_field(log, rel, item, "kind", what)
        aliases = str_list(log, rel, item, "aliases", what)
        gender = str_field(log, rel, item, "gender", what)
        within = (str_list(log, rel, item, "within", what) or ([], []))[0]
        if within and kind != PLACE:
            log.err(rel, item.line_for("within"), f"{what} is a {kind}: only a place lies within another")
        if gender is not None and gender not in GENDERS:
            log.err(rel, item.line_for("gender"), f"bad gender {gender!r} in {what}: use female or male")
        if eid is None:
            usable = False
        elif eid in seen:
            log.err(rel, item.line_for("id"), f"duplicate entity id {eid!r} "
                                              f"(first on line {seen[eid]})")
        else:
            seen[eid] = item.line_for("id")
        alias_list, alias_lines = aliases if aliases is not None else ([], [])
        parsed.append((eid, name, item.line_for("name"), alias_list, alias_lines))
        if len(log) == n_before:
            within_lines[eid] = item.line_for("within")
            out.append(Entity(id=eid, name=name, kind=kind,  # type: ignore[arg-type]
                              aliases=tuple(alias_list), gender=gender, within=tuple(within)))
    _check_aliases(log, rel, parsed)
    return _check_within(log, rel, out, within_lines), (set(seen) if usable else None)


def _check_within(log: IssueLog, rel: str, entities: list[Entity], lines: dict[str, int]) -> list[Entity]:
    """The entities whose ``within`` names only places of the file (the others logged, left out)."""
    places = {e.id for e in entities if e.kind == PLACE}
    kept = []
    for entity in entities:
        unknown = [p for p in entity.within if p not in places]
        for place in unknown:
            log.err(rel, lines[entity.id],
                    f"entity {entity.id!r} is within {place!r}, which is no place of this file")
        if not unknown:
            kept.append(entity)
    return kept


def _fold(s: str) -> str:
    # names and aliases are matched case-insensitively with whitespace normalized
    return normalize_ws(s).casefold()


def _check_aliases(log: IssueLog, rel: str, parsed: list[_Parsed]) -> None:
    """No alias may be another entity's name, or another entity's alias."""
    names: dict[str, list[tuple[str | None, int]]] = {}
    for eid, name, line, _, _ in parsed:
        if name is not None:
            names.setdefault(_fold(name), []).append((eid, line))
    alias_owner: dict[str, tuple[str | None, int]] = {}
    for eid, _, _, alias_list, alias_lines in parsed:
        for alias, line in zip(alias_list, alias_lines, strict=True):
            key = _fold(alias)
            other = next(((o, ol) for o, ol in names.get(key, ()) if o != eid), None)
            if other is not None:
                log.err(rel, line, f"alias {alias!r} of entity {eid!r} is the name of "
                                   f"entity {other[0]!r} (line {other[1]})")
                continue
            owner = alias_owner.get(key)
            if owner is not None and owner[0] != eid:
                log.err(rel, line, f"alias {alias!r} of entity {eid!r} is also an alias of "
                                   f"entity {owner[0]!r} (line {owner[1]})")
                continue
            alias_owner.setdefault(key, (eid, line))
