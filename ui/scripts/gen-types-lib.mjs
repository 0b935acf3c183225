// Generates TypeScript bindings from the JSON Schemas in /schemas (written by the Rust side).
// Shared by scripts/gen-types.mjs (writes the files) and the freshness test (compares in memory).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
export const schemasDir = path.resolve(here, '../../schemas');
export const bindingsDir = path.resolve(here, '../src/bindings');

const SUFFIX = '.schema.json';

export const BANNER = [
  '/* eslint-disable */',
  '/**',
  ' * Generated, do not edit; run `npm --prefix ui run gen:types`.',
  ' * Source: schemas/{{source}}',
  ' */',
].join('\n');

/** `data-product` -> `DataProduct` */
export function pascalCase(stem) {
  return stem
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

const DECL_RE = /^export (?:declare )?(?:type|interface|enum|const enum) ([A-Za-z_$][\w$]*)/;

/** Exported declarations of a generated file: name -> declaration text (without its doc comment). */
function declarations(code) {
  const decls = new Map();
  let current = null;
  for (const line of code.split('\n')) {
    const m = DECL_RE.exec(line);
    if (m) {
      current = { name: m[1], lines: [line] };
      decls.set(m[1], current);
    } else if (current && (line.startsWith('/**') || line.startsWith('export '))) {
      current = null;
    } else if (current) {
      current.lines.push(line);
    }
  }
  return new Map([...decls].map(([name, d]) => [name, d.lines.join('\n').trim()]));
}

/**
 * draft-07 ignores keywords next to `$ref`, but schemars puts a `description` there; the
 * ref parser then inlines a copy per use, which json-schema-to-typescript emits as
 * numbered duplicates (`LogicalTypeOptions1`). Moving the `$ref` into a one-element
 * `allOf` keeps the description and the single named type.
 */
function hoistRefs(node) {
  if (Array.isArray(node)) return node.map(hoistRefs);
  if (typeof node !== 'object' || node === null) return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) out[key] = hoistRefs(value);
  if (typeof out.$ref === 'string' && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { ...rest, allOf: [...(rest.allOf ?? []), { $ref }] };
  }
  return out;
}

/**
 * Returns a Map from file name (relative to src/bindings) to its full content,
 * in a deterministic order.
 */
export async function generateBindings() {
  const files = (await readdir(schemasDir)).filter((f) => f.endsWith(SUFFIX)).sort();
  const out = new Map();
  const modules = [];
  for (const file of files) {
    const stem = file.slice(0, -SUFFIX.length);
    const rootName = pascalCase(stem);
    const schema = hoistRefs(JSON.parse(await readFile(path.join(schemasDir, file), 'utf8')));
    // The root type is named after the file stem so names stay stable when titles change.
    const originalTitle = schema.title;
    schema.title = rootName;
    if (originalTitle && originalTitle !== rootName) {
      schema.description = schema.description
        ? `${originalTitle}. ${schema.description}`
        : originalTitle;
    }
    const code = await compile(schema, rootName, {
      bannerComment: BANNER.replace('{{source}}', file),
      cwd: schemasDir,
      // Definitions are named after their key, never after a free-text title.
      customName: (_schema, keyNameFromDefinition) => keyNameFromDefinition,
      additionalProperties: false,
      declareExternallyReferenced: true,
      enableConstEnums: false,
      format: true,
      strictIndexSignatures: true,
      unreachableDefinitions: true,
      unknownAny: true,
      style: {
        printWidth: 100,
        singleQuote: true,
        semi: true,
        trailingComma: 'all',
        tabWidth: 2,
        useTabs: false,
        bracketSpacing: true,
        endOfLine: 'lf',
      },
    });
    out.set(`${stem}.ts`, code);
    modules.push({ stem, rootName, decls: declarations(code) });
  }

  // index.ts: re-export every name once. Root types come from their own file. A name that
  // several files declare (e.g. Finding, which save-outcome embeds) comes from the first file
  // (alphabetically) when all declarations are identical; when they differ it is left out
  // of the index (import it from its module) so nobody gets the wrong one by accident.
  const roots = new Map(modules.map((m) => [m.rootName, m.stem]));
  const owner = new Map();
  const ambiguous = new Set();
  const firstDecl = new Map();
  for (const m of modules) {
    for (const [name, text] of m.decls) {
      if (!firstDecl.has(name)) {
        firstDecl.set(name, text);
        owner.set(name, roots.get(name) ?? m.stem);
      } else if (firstDecl.get(name) !== text && !roots.has(name)) {
        ambiguous.add(name);
      }
    }
  }
  const lines = [BANNER.replace('{{source}}', '*' + SUFFIX), ''];
  for (const m of modules) {
    const names = [...m.decls.keys()]
      .filter((n) => owner.get(n) === m.stem && !ambiguous.has(n))
      .sort();
    if (names.length > 0) {
      lines.push(`export type {\n${names.map((n) => `  ${n},\n`).join('')}} from './${m.stem}';`);
    }
  }
  if (ambiguous.size > 0) {
    lines.push('');
    lines.push('// Declared differently by several schemas; import them from their module:');
    lines.push(`// ${[...ambiguous].sort().join(', ')}`);
  }
  out.set('index.ts', lines.join('\n') + '\n');
  return out;
}
