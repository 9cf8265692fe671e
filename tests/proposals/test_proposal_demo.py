"""`consent demo` opens a proposal for complex C-0142; its printed codes open that proposal."""

from __future__ import annotations

from bs4 import BeautifulSoup

from consent.demo import load_demo
from consent.proposals.demo_data import TITLE


def test_demo_codes_open_the_demo_proposal(engine, settings, client):
    lines = load_demo(settings)
    assert any(line.startswith("Open proposal") and "C-0142" in line for line in lines)
    codes = [line.rsplit(": ", 1)[1] for line in lines if line.startswith("  HO-")]
    assert len(codes) == 3
    landing = client.submit("/code?lang=nl", {"code": codes[0]})
    assert landing.status_code == 303 and "/voorstel/" in landing.headers["location"]
    page = BeautifulSoup(client.get(landing.headers["location"]).text, "html.parser")
    assert page.h1.get_text(strip=True) == TITLE
    assert page.find("fieldset").legend.get_text(strip=True) == "Gaat u akkoord met dit voorstel?"
    again = load_demo(settings)  # running the demo twice reuses the open proposal
    assert [line for line in again if line.startswith("Open proposal")] == [
        line for line in lines if line.startswith("Open proposal")
    ]
