import { availableParallelism } from 'node:os';
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
    // Every core (Vitest keeps one free by default: on a 2-core machine that is one worker, 40 s
    // against 25 s with two).
    maxWorkers: availableParallelism(),
  },
});
