"""axe-core (vendored under tests/e2e/vendor, like htmx under static/vendor) run in the page:
the serious and critical WCAG violations of whatever state the page is in."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
SERIOUS = ("serious", "critical")


def violations(page, where: str) -> list[str]:
    """Run axe over the page as it is now; one line per serious or critical violation. The
    context must bypass the CSP (axe is injected as an inline script, the app forbids those)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
          const r = await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                            "wcag22aa", "best-practice"]},
            resultTypes: ["violations"],
          });
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return [
        f"{where}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
        for v in found
        if v["impact"] in SERIOUS
    ]
