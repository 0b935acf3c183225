// @vitest-environment node
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindingsDir, generateBindings } from '../scripts/gen-types-lib.mjs';

const FIX = 'Bindings are stale; run `npm --prefix ui run gen:types` and commit src/bindings.';

describe('generated IPC bindings', () => {
  it('match the JSON Schemas in /schemas', async () => {
    const expected = await generateBindings();
    const dir = bindingsDir;
    const present = (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort();
    expect(present, FIX).toEqual([...expected.keys()].sort());
    for (const [name, content] of expected) {
      const actual = await readFile(path.join(dir, name), 'utf8');
      expect(actual, `${name}: ${FIX}`).toBe(content);
    }
  }, 30_000);
});
