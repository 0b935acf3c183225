// uPlot formats numbers with `new Intl.NumberFormat(navigator.language)` when its module loads. A
// webview started under `LANG=C` (a service, a CI runner, a bare X session) reports a language tag
// Intl refuses (`c`), and the module would throw as it loads, taking the chart with it. Imported
// before uPlot: such a tag reads as the language the window is written in.

function valid(tag: string): boolean {
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

if (!valid(navigator.language)) {
  Object.defineProperty(navigator, 'language', { configurable: true, get: () => 'en-US' });
}
