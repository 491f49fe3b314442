"""bot.render's shared pieces: pages built from items, the reload report, safe text."""
import pytest

from bot.render.limits import CONTENT_MAX, RELOAD_ERRORS_SHOWN
from bot.render.pages import Pages
from bot.render.reload import counts_text, reload_report
from bot.render.safe_text import code, safe
from index.live import ReloadReport

COUNTS = {"sources": 3, "passages": 74, "timeline": 1, "entities": 61}


def test_pages_cut_items_and_render_one_page():
    pages = Pages(list(range(7)), 3, lambda items, page, count: (list(items), page, count))
    assert pages.count == 3
    assert pages.show(0) == ([0, 1, 2], 0, 3)
    assert pages.show(2) == ([6], 2, 3)
    assert pages.show(9) == ([6], 2, 3) and pages.show(-1) == ([0, 1, 2], 0, 3)   # clamped


def test_no_items_is_one_empty_page_and_per_page_must_be_positive():
    assert Pages([], 3, lambda items, page, count: list(items)).count == 1
    with pytest.raises(ValueError):
        Pages([1], 0, lambda items, page, count: items)


def test_counts_in_words():
    assert counts_text(COUNTS) == "3 sources, 74 passages, 1 timeline entry, 61 entities"
    assert counts_text({}) == "nothing loaded"


def test_a_good_reload_reads_the_same_everywhere():
    report = ReloadReport(True, COUNTS, {**COUNTS, "passages": 75}, 0.5)
    text = reload_report(report)
    assert text == reload_report(report, markdown=True)
    assert text.startswith("Reloaded in 0.50 s.") and "After: 3 sources, 75 passages" in text and "{" not in text


def test_a_failed_reload_lists_its_errors_within_discords_limit():
    errors = tuple(f"corpus/timeline.yaml:{n}: bad `date`" for n in range(1, 40))
    report = ReloadReport(False, COUNTS, errors=errors)
    plain = reload_report(report)
    assert plain.splitlines()[0] == errors[0] and "still serving the previous corpus (3 sources" in plain
    assert f"…and {len(errors) - RELOAD_ERRORS_SHOWN} more" in plain
    discord_text = reload_report(report, markdown=True)
    assert discord_text.startswith("**Reload failed; still serving the previous corpus**")
    assert code(errors[0]) in discord_text and len(discord_text) <= CONTENT_MAX


def test_safe_text_is_one_escaped_line_within_its_limit():
    out = safe("@everyone look\n\n**here** " + "word " * 100, 60)
    assert len(out) <= 60 and "\n" not in out and "@\u200beveryone" in out and "\\*\\*here\\*\\*" in out
