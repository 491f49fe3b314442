"""index/corpus/yamlsafe.py: libyaml's parser (fast) and PyYAML's (its messages) read the same
values and lines; a text either refuses gets PyYAML's message."""
import pytest
import yaml

from index.corpus import yamlsafe
from index.corpus.yamlsafe import LineDict, LineList, YamlError, load_yaml
from tests.conftest import CORPUS

TRICKY = [
    "a: 1\nb: [x, y, {c: 2}]\nc:\n  - d: 3\n    e: >-\n      folded\n      text\n",
    "key: 1\nkey: 2\nother: 3\n",                       # a duplicate key, remembered
    "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",      # a merge key
    "date: 1937-02-30\nok: 1937-12-13\n",               # an impossible date is kept as text
    "- one\n- [two, three]\n- {four: 4}\n",
    "title: 'quoted: colon'\nempty:\nnull_value: ~\n",
    "",
]


def _pure(text: str, first_line: int):
    saved, yamlsafe.FastLineLoader = yamlsafe.FastLineLoader, None
    try:
        return load_yaml(text, first_line)
    finally:
        yamlsafe.FastLineLoader = saved


def _same(a, b):
    assert type(a) is type(b), (a, b)
    if isinstance(a, LineDict):
        assert (a.line, a.key_lines, a.duplicate_keys, list(a)) == (b.line, b.key_lines, b.duplicate_keys, list(b))
        for key in a:
            _same(a[key], b[key])
    elif isinstance(a, LineList):
        assert (a.line, a.item_lines, len(a)) == (b.line, b.item_lines, len(b))
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b


def _texts():
    for path in sorted((CORPUS / "sources").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        yield text[4:text.index("\n---", 3)]
    yield (CORPUS / "entities.yaml").read_text(encoding="utf-8")
    yield (CORPUS / "timeline.yaml").read_text(encoding="utf-8")
    yield from TRICKY


@pytest.mark.skipif(yamlsafe.FastLineLoader is None, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("text", list(_texts()))
def test_both_parsers_read_the_same_values_and_lines(text):
    _same(load_yaml(text, 2), _pure(text, 2))


@pytest.mark.parametrize("text, line, words", [
    ("a: 1\n\tb: 2\n", 3, "cannot start any token"),   # a tab: PyYAML's message
    ("a: [1, 2\n", 2, ""),                                # left open to the end: where it opens
    ("a: b\x07\n", 2, "U+0007"),                          # a character YAML does not allow
])
def test_a_refused_text_gets_pyyaml_s_message_and_line(text, line, words):
    with pytest.raises(YamlError) as fast:
        load_yaml(text, 2)
    with pytest.raises(YamlError) as pure:
        _pure(text, 2)
    assert (fast.value.line, fast.value.message) == (pure.value.line, pure.value.message)
    assert fast.value.line == line and words in fast.value.message


@pytest.mark.skipif(yamlsafe.FastLineLoader is None, reason="PyYAML was built without libyaml")
def test_a_text_libyaml_reads_is_not_parsed_again(monkeypatch):
    monkeypatch.setattr(yamlsafe, "LineLoader", None)   # the pure-Python parser would fail now
    assert load_yaml("a: [1, 2]\n", 2) == {"a": [1, 2]}
    assert issubclass(yamlsafe.FastLineLoader, yaml.CSafeLoader)
