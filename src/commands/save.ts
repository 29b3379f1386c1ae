import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { Context } from '../context.js';
import { CliError, DaemonApiError, InterruptedError } from '../errors.js';
import { cleanObject, decodeStream, goYaml, toDocument, toSavedObject, type SavedObject } from './save-yaml.js';

export interface SaveOptions {
  /** `-` for stdout, else an existing directory. */
  out: string;
}

export function saveCommand(ctx: Context, run = runSave): Command {
  return new Command('save')
    .description('Save workload definitions to local files in cluster-native format')
    .option('-o, --out <path>', "Output path for exported config; the default. '-' indicates stdout; if a directory is given, each item will be saved in a file under the directory", '-')
    .addHelpText('after', '\nExamples:\n  fluxctl save --k8s-fwd-ns flux > cluster.yaml\n  fluxctl save --k8s-fwd-ns flux --out config/')
    .action((opts: { out: string }) => run(ctx, { out: opts.out }));
}

export async function runSave(ctx: Context, opts: SaveOptions): Promise<void> {
  const toDir = opts.out !== '-';
  // fluxctl checked the directory only after exporting; a typo should not cost a connection.
  if (toDir) checkDirectory(opts.out);
  const backend = await ctx.backend();
  let text: string;
  try {
    text = await backend.exportManifests();
  } catch (e) {
    throw prefixed(e, 'exporting config');
  }
  const { objects, error } = decodeObjects(text);
  if (toDir) writeFiles(ctx, opts.out, objects);
  else for (const o of objects) ctx.io.stdout.write(`---\n${goYaml(toDocument(o))}`);
  if (error !== undefined) {
    // fluxctl stops here silently and exits 0; a truncated save should not look like a full one.
    throw new CliError(`decoding exported config: ${error.message}`, {
      hint: `${objects.length} document(s) before it were saved; the rest of the export was not`,
    });
  }
}

/** Daemon API errors keep their `== Error ==` form; other failures get fluxctl's wrapping. */
function prefixed(e: unknown, prefix: string): unknown {
  if (e instanceof CliError && !(e instanceof DaemonApiError) && !(e instanceof InterruptedError)) e.message = `${prefix}: ${e.message}`;
  return e;
}

/** The reason part of a Node fs error, as Go words it ("no such file or directory"). */
function reason(e: unknown): string {
  const message = (e as Error).message;
  return /^[A-Z0-9]+: ([^,]+),/.exec(message)?.[1] ?? message;
}

function checkDirectory(dir: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (e) {
    throw new CliError(`stat ${dir}: ${reason(e)}`, { hint: `--out takes an existing directory (mkdir -p ${dir}), or - for stdout` });
  }
  if (!stat.isDirectory()) throw new CliError(`path ${dir} is not a directory`, { hint: '--out takes an existing directory, or - for stdout' });
}

function decodeObjects(text: string): { objects: SavedObject[]; error: Error | undefined } {
  const { docs, error } = decodeStream(text);
  const objects: SavedObject[] = [];
  for (const [i, doc] of docs.entries()) {
    try {
      const o = toSavedObject(doc);
      cleanObject(o);
      objects.push(o);
    } catch (e) {
      return { objects, error: new Error(`document ${i + 1}: ${(e as Error).message}`) };
    }
  }
  return { objects, error };
}

/** A name from the daemon becomes a path segment only if it cannot leave --out. */
function unsafeSegment(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return s === '' || s === '.' || s === '..' || /[/\\\u0000-\u001f\u007f]/.test(s);
}

/** fluxctl's layout: `<name>-ns.yaml`, else `<namespace>/<name>-<dep|Kind>.yaml`. */
function relativeFile(o: SavedObject): string {
  const { kind, metadata: m } = o;
  const what = `${kind || 'object'} ${JSON.stringify(m.name)}${m.namespace ? ` in namespace ${JSON.stringify(m.namespace)}` : ''}`;
  const refuse = (field: string, value: string): CliError =>
    new CliError(`refusing to save ${what}: its ${field} ${JSON.stringify(value)} is not a safe file name`, {
      hint: 'nothing was written; names with path separators, control characters, "." or ".." could write outside --out',
    });
  if (unsafeSegment(m.name)) throw refuse('name', m.name);
  if (kind === 'Namespace') return `${m.name}-ns.yaml`;
  if (unsafeSegment(kind)) throw refuse('kind', kind);
  if (m.namespace !== '' && unsafeSegment(m.namespace)) throw refuse('namespace', m.namespace);
  return path.join(m.namespace, `${m.name}-${kind === 'Deployment' ? 'dep' : kind}.yaml`);
}

/** Every path is checked before anything is written, so a hostile export writes nothing. */
function writeFiles(ctx: Context, out: string, objects: SavedObject[]): void {
  const root = path.resolve(out);
  const plan = objects.map((o) => {
    const file = path.join(out, relativeFile(o));
    if (!path.resolve(file).startsWith(root + path.sep)) throw new CliError(`refusing to write ${file}: it is outside ${out}`);
    return { o, file };
  });
  for (const { o, file } of plan) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
    } catch (e) {
      throw new CliError(`saving yaml object: making directory for namespace: mkdir ${path.dirname(file)}: ${reason(e)}`);
    }
    ctx.io.stdout.write(`Saving ${o.kind} '${o.metadata.name}' to ${file}\n`);
    try {
      fs.writeFileSync(file, `---\n${goYaml(toDocument(o))}`, { mode: 0o666 });
    } catch (e) {
      throw new CliError(`saving yaml object: creating yaml file: open ${file}: ${reason(e)}`);
    }
  }
}
