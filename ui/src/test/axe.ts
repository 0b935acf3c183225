import axe from 'axe-core';

/**
 * The serious and critical accessibility violations axe-core finds under `root`, one line each
 * (rule, what it asks, where). jsdom lays nothing out, so axe leaves the colour contrast to the
 * end-to-end test, which runs it in the real window.
 */
export async function seriousViolations(root: Element = document.body): Promise<string[]> {
  const results = await axe.run(root, { resultTypes: ['violations'] });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
