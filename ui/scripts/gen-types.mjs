// Regenerates ui/src/bindings/*.ts from schemas/*.schema.json.
// Usage: npm --prefix ui run gen:types
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bindingsDir, generateBindings } from './gen-types-lib.mjs';

const files = await generateBindings();
await mkdir(bindingsDir, { recursive: true });
for (const existing of await readdir(bindingsDir)) {
  if (existing.endsWith('.ts') && !files.has(existing)) {
    await rm(path.join(bindingsDir, existing));
    console.log(`removed src/bindings/${existing}`);
  }
}
for (const [name, content] of files) {
  await writeFile(path.join(bindingsDir, name), content);
}
console.log(`wrote ${files.size} files to src/bindings`);
