// The emulator is a package of its own: the CLI's sources never import it (it is a test double,
// and the bundle must not carry it), and it imports nothing of the CLI, so its tests prove the
// emulator alone.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EMULATOR = path.join(ROOT, 'packages/emulator');

/** Every .ts file under dir, with the module specifiers it imports or re-exports. */
function imports(dir: string): Array<{ file: string; specifier: string }> {
  const found: Array<{ file: string; specifier: string }> = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8');
    // `import … from 'x'`, `export … from 'x'`, `import 'x'` and `import('x')`.
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)) {
      found.push({ file: path.relative(ROOT, file), specifier: (m[1] ?? m[2] ?? m[3])! });
    }
  }
  return found;
}

describe('the emulator package boundary', () => {
  it('src/ imports no emulator module, by package name or by path', () => {
    const all = imports(path.join(ROOT, 'src'));
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((i) => /@fluxctl\/emulator|packages\/emulator|(^|\/)test\//.test(i.specifier))).toEqual([]);
  });

  it('packages/emulator imports nothing outside itself but Node, its dependencies and its own name', () => {
    const all = imports(EMULATOR);
    expect(all.length).toBeGreaterThan(100);
    const deps = JSON.parse(readFileSync(path.join(EMULATOR, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const allowed = new Set([...Object.keys(deps.dependencies ?? {}), ...Object.keys(deps.devDependencies ?? {})]);
    const outside = all.filter(({ file, specifier }) => {
      if (specifier.startsWith('.')) return !path.resolve(ROOT, path.dirname(file), specifier).startsWith(EMULATOR + path.sep);
      if (specifier.startsWith('node:') || specifier.startsWith('@fluxctl/emulator/')) return false;
      return !allowed.has(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    });
    expect(outside).toEqual([]);
  });
});
