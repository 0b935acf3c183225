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
    // Vitest keeps a core free by default (one worker on two cores: 40 s here, against 25 s with
    // `--maxWorkers=2`). `cargo xtask test` runs it beside the API's tests, where two workers made
    // the whole step slower (57 s against 52 s).
  },
});
