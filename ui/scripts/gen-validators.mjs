// Writes src/features/product-form/rjsf/generated/validators.{js,d.ts} (git-ignored): the AJV
// standalone validators of the form schemas, precompiled so nothing is compiled at run time.
// Run by the npm pre-scripts of dev, build, test, typecheck and lint; by hand:
//   npm --prefix ui run gen:validators
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateValidators, outDir, outDts, outJs, uiDir } from './gen-validators-lib.mjs';

const started = performance.now();
const { js, dts } = await generateValidators();
await mkdir(outDir, { recursive: true });
let written = 0;
for (const [file, content] of [
  [outJs, js],
  [outDts, dts],
]) {
  // Unchanged files are left alone so a running `vite` dev server does not reload for nothing.
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current !== content) {
    await writeFile(file, content);
    written += 1;
  }
}
const ms = Math.round(performance.now() - started);
console.log(
  `gen-validators: ${path.relative(uiDir, outJs)} (${Math.round(js.length / 1024)} KiB), ` +
    `${written === 0 ? 'unchanged' : `${written} file(s) written`}, ${ms} ms`,
);
