"""Issue 13 item 5: grouping stays near n log n, so thousands of near-identical items end as one story.

Timings are measured by bench/stress.py; this test pins what the fast path must still get right.
"""
from __future__ import annotations

from briefing.models import Article
from briefing.plan.group import group_articles

BODY = ("The harbour authority said on Monday that the mooring rules would change next month after a long "
        "review of how the port is run. Officials told reporters that the decision followed complaints from "
        "residents, traders and ferry crews, and that a public meeting would be held before the plan starts. ")


def test_thousands_of_near_identical_items_become_one_story():
    copies = [Article(title=f"Mooring rules to change ({n})", text=BODY + f"Item {n} of the wire feed.",
                      source=f"Outlet {n % 40}", origin=f"feed entry {n}") for n in range(3000)]
    other = Article(title="Museum reopens after flood repairs", origin="museum",
                    text="The city museum reopened on Saturday after a year of repairs to flood damage in its "
                         "basement galleries. Curators said the collection had been kept safe in storage.")
    groups = group_articles([*copies, other])
    assert [len(g) for g in groups] == [1, 1]
    assert groups[0][0].origin == "feed entry 0"  # copies of one length: the first given
    assert groups[1][0] is other
