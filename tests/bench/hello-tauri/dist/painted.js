// Tells the app when the page's first frame is painted, as Meshport's catalog tells its shell when its
// first answer is on screen: the frame is asked for before the page renders (a deferred script runs
// once the document is parsed), its callback runs in the rendering update that paints the heading, and
// a task queued from it runs after that paint. `cargo xtask bench-desktop` reads the line the app
// prints: the floor of the stack under Meshport's first paint.
requestAnimationFrame(() => {
  setTimeout(() => {
    window.__TAURI_INTERNALS__.invoke('painted', { sinceLoadMs: performance.now() });
  }, 0);
});
