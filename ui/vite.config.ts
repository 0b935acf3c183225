import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  // Served by the Tauri shell from a custom protocol: keep asset URLs relative.
  base: './',
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    // The form schema is imported from ../schemas (owned by the Rust side).
    fs: { allow: [repoRoot] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // A whole journey through the form takes about a second here, and five times that on a slow,
    // busy CI machine; 5 s (the default) made those fail for time alone.
    testTimeout: 30_000,
    // Worker threads rather than child processes (the default): the same 156 tests in 63 s and 71 s
    // of CPU, against 77 s and 90 s, alone on two cores. `cargo xtask test` runs them beside the
    // build and the end to end, where CPU is what they take from the others.
    pool: 'threads',
    // Vitest keeps a core free by default (one worker on two cores: 40 s here, against 25 s with
    // `--maxWorkers=2`); beside the other suites, two workers made the whole step slower.
  },
});
