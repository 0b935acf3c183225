// @vitest-environment node
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateValidators, outDts, outJs, uiDir } from '../../../../scripts/gen-validators-lib.mjs';

const FIX = 'Stale precompiled validators; run `npm --prefix ui run gen:validators` (npm test does).';
/** Run-time code compilation, which the CSP (no 'unsafe-eval') forbids. */
const EVAL = /new\s+Function\b|\bFunction\s*\(|\beval\s*\(/;

describe('precompiled validators (src/features/product-form/rjsf/generated)', () => {
  it('are up to date with /schemas', async () => {
    const expected = await generateValidators();
    expect(await readFile(outJs, 'utf8'), FIX).toBe(expected.js);
    expect(await readFile(outDts, 'utf8'), FIX).toBe(expected.dts);
  }, 30_000);

  it('compile nothing at run time and are self-contained', async () => {
    const code = await readFile(outJs, 'utf8');
    expect(code).not.toMatch(EVAL);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/^import\b/m);
  });

  it.skipIf(!existsSync(path.join(uiDir, 'dist/assets')))(
    'leave no eval in the built bundle (dist/, when built)',
    async () => {
      const dir = path.join(uiDir, 'dist/assets');
      const files = (await readdir(dir)).filter((f) => f.endsWith('.js'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(await readFile(path.join(dir, file), 'utf8'), file).not.toMatch(EVAL);
      }
    },
  );
});
