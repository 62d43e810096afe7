"""CSL positions and their reasons, computed independently of citeproc-py."""

from report.transforms.positions import CiteRef, compute_positions


def positions(spec):
    """spec: list of notes; each a list of (key, locator) cites forming one citation."""
    cites, sizes = [], {}
    for index, note in enumerate(spec):
        sizes[index] = len(note)
        for key, locator in note:
            cites.append(CiteRef(key, ("page", locator) if locator else (None, None), index + 1, index))
    return [(p.position, p.reason) for p in compute_positions(cites, sizes)]


def test_first_ibid_and_ibid_with_locator():
    got = positions([[("a", "1")], [("a", "1")], [("a", "2")], [("b", None)], [("a", "2")]])
    assert [p for p, _ in got] == ["first", "ibid", "ibid-with-locator", "first", "subsequent"]
    assert got[2][1] == "same source as note 2, other locator"
    assert got[4][1] == "cited before in note 3, other sources in between"


def test_no_ibid_after_a_note_citing_several_sources():
    got = positions([[("a", "1"), ("b", "2")], [("b", "2")]])
    assert got[2] == ("subsequent", "note 1 cites several sources, so no Ibid. after it")


def test_ibid_within_one_citation_group():
    got = positions([[("a", "1"), ("a", "2")]])
    assert got[1] == ("ibid-with-locator", "same source as earlier in this note, other locator")


def test_reordering_rederives_ibid():
    assert [p for p, _ in positions([[("b", "5")], [("a", "1")], [("a", "2")]])] == ["first", "first", "ibid-with-locator"]
    assert [p for p, _ in positions([[("a", "1")], [("b", "5")], [("a", "2")]])] == ["first", "first", "subsequent"]


def test_locator_dropped_after_one_is_subsequent_not_ibid():
    got = positions([[("a", "1")], [("a", None)]])
    assert got[1][0] == "subsequent"
