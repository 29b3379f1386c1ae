import type { Context, TerminalInput } from '../context.js';
import type { ReleaseKind } from '../daemon/spec.js';
import { UsageError } from '../errors.js';
import { formatImageRef, parseImageRef } from '../util/image-ref.js';
import { workloadNamespace } from './shared/flags.js';
import { parseWorkloadId } from './shared/resource-id.js';

export interface ReleaseOptions {
  /** Workload IDs, or `<all>`. */
  workloads: string[];
  /** An image ref with a tag, or `<all latest>`. */
  image: string;
  excludes: string[];
  kind: ReleaseKind;
  force: boolean;
  watch: boolean;
  verbosity: number;
  message?: string;
  user?: string;
  /** Set with --interactive: where the menu reads keys. */
  terminal?: TerminalInput;
}

export interface RawReleaseOptions {
  namespace?: string;
  workload?: string[];
  controller?: string[];
  all: boolean;
  updateImage?: string;
  updateAllImages: boolean;
  exclude?: string[];
  dryRun: boolean;
  interactive: boolean;
  force: boolean;
  watch: boolean;
  verbose: number;
  message?: string;
  user?: string;
}

/** fluxctl's checks, in its order and with its texts; then the IDs and image as it parses them. */
export async function releaseOptions(ctx: Context, raw: RawReleaseOptions): Promise<ReleaseOptions> {
  const image = raw.updateImage ?? '';
  if (image !== '' && raw.updateAllImages) throw new UsageError('please supply only one of --update-image=<image> or --update-all-images');
  if (image === '' && !raw.updateAllImages) throw new UsageError('please supply exactly one of --update-image=<image> or --update-all-images');
  const workloads = [...(raw.workload ?? []), ...(raw.controller ?? [])];
  if (workloads.length === 0 && !raw.all) throw new UsageError('please supply either --all, or at least one --workload=<workload>');
  if (raw.watch && raw.dryRun) throw new UsageError('cannot use --watch with --dry-run');
  if (raw.force && raw.all && raw.updateAllImages) throw new UsageError('--force has no effect when used with --all and --update-all-images');
  const say = ctx.narrator();
  if (raw.force && raw.all) say.warn('--force will not ignore locked workloads when used with --all');
  else if (raw.force && raw.updateAllImages) say.warn('--force will not ignore container image tags when used with --update-all-images');
  // fluxctl would execute the selection even with --dry-run; a dry run must never commit.
  if (raw.interactive && raw.dryRun) throw new UsageError('cannot use --interactive with --dry-run', { hint: 'use --dry-run alone to see the plan' });
  const ns = await workloadNamespace(ctx, raw.namespace);
  return {
    workloads: raw.all ? ['<all>'] : workloads.map((w) => parseWorkloadId(w, ns)),
    image: raw.updateAllImages ? '<all latest>' : imageSpec(image),
    excludes: (raw.exclude ?? []).map((w) => parseWorkloadId(w, ns)),
    kind: raw.dryRun || raw.interactive ? 'plan' : 'execute',
    force: raw.force,
    watch: raw.watch,
    verbosity: raw.verbose,
    message: raw.message,
    user: raw.user,
    terminal: raw.interactive ? terminal(ctx) : undefined,
  };
}

/** update.ParseImageSpec: `<all latest>` as is, else a ref that must carry a tag. */
function imageSpec(s: string): string {
  if (s === '<all latest>') return s;
  let ref;
  try {
    ref = parseImageRef(s);
  } catch (e) {
    throw new UsageError((e as Error).message, { hint: 'name the image as <image>:<tag>, e.g. library/hello:v2' });
  }
  if (ref.tag === '') throw new UsageError('blank tag (if you want latest, explicitly state the tag :latest): invalid image ID');
  return formatImageRef(ref);
}

function terminal(ctx: Context): TerminalInput {
  const input = ctx.deps.terminalInput?.();
  if (input?.isTTY !== true || typeof input.setRawMode !== 'function') {
    throw new UsageError('--interactive needs a terminal, but stdin is not a TTY', { hint: 'run it from a terminal, or use --dry-run to see the plan and then release with --workload' });
  }
  return input;
}
