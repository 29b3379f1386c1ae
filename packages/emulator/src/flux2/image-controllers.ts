// image-reflector-controller (imagerepository_controller.go, imagepolicy_controller.go) and,
// as far as status goes, image-automation-controller. The status shape follows the release:
// ImagePolicy reports `latestImage` up to image-reflector v0.34 (Flux 2.5), both forms in v0.35
// (Flux 2.6) and only `latestRef` from v1.0 (Flux 2.7); scans carry a checksum from v1.0.
import { isTrue, now } from './conditions.js';
import type { World } from './engine.js';
import { adler32, excludeTags, latestTags, selectTag } from './image-policy.js';
import { resourceOf } from './kinds.js';
import { conditionsOf, Reconciler, type Result, type Run } from './reconciler.js';
import { canonicalImageName } from './registries.js';
import { fluxMinor } from './releases.js';
import type { Artifact, FluxObject, FluxStatus, GitRepository, ImagePolicy, ImageRepository, ImageUpdateAutomation } from './types.js';

type Conds = ReturnType<typeof conditionsOf>;

abstract class ImageReconciler<T extends FluxObject> extends Reconciler<T> {
  protected suspendedObservesGeneration(s: FluxStatus): boolean {
    return isTrue(s.conditions, 'Ready');
  }

  protected get minor(): number {
    return fluxMinor(this.engine.options.version);
  }

  protected async begin(obj: T): Promise<void> {
    const observed = obj.status?.observedGeneration ?? -1;
    if (observed !== (obj.metadata.generation ?? 1)) {
      await this.progress(obj, (s, g) => conditionsOf(s, g).progressive(false, `processing object: new generation ${observed} -> ${g}`));
    }
  }

  /** The final patch (fluxcd/pkg runtime/reconcile ResultFinalizer): token, and observedGeneration when Ready or Stalled. */
  protected async finish(obj: T, run: Run, outcome: Result['outcome'], mutate: (c: Conds, s: FluxStatus) => void, revision?: string): Promise<Result> {
    await this.write(obj, (s, g) => {
      const c = conditionsOf(s, g);
      mutate(c, s);
      if (run.token !== undefined) s.lastHandledReconcileAt = run.token;
      if (c.isTrue('Ready')) {
        c.remove('Reconciling', 'Stalled');
        s.observedGeneration = g;
      } else if (c.get('Reconciling')) {
        c.set('Reconciling', 'True', 'ProgressingWithRetry', c.get('Reconciling')!.message);
      }
    });
    return { outcome, ...(revision ? { revision } : {}) };
  }

  protected scriptedOr(obj: T, run: Run): Promise<Result> | undefined {
    const f = this.failure(obj);
    return f && this.finish(obj, run, f.stalled ? 'Stalled' : 'Failed', (c) => c.fail(f));
  }
}

export class ImageRepositoryReconciler extends ImageReconciler<ImageRepository> {
  constructor(private readonly world: World) {
    super(world.engine, 'ImageRepository', 'image-reflector-controller');
  }

  protected async reconcile(obj: ImageRepository, run: Run): Promise<Result> {
    await this.begin(obj);
    const scripted = this.scriptedOr(obj, run);
    if (scripted) return scripted;
    const canonical = canonicalImageName(obj.spec.image);
    const found = this.world.registry.tags(obj.spec.image);
    if (!found) {
      const [registry, ...path] = canonical.split('/');
      const message = `GET https://${registry}/v2/${path.join('/')}/tags/list: NAME_UNKNOWN: repository name not known to registry`;
      return this.finish(obj, run, 'Failed', (c) => {
        c.set('Reconciling', 'True', 'Progressing', 'reconciliation in progress');
        c.set('Ready', 'False', 'ReadOperationFailed', message);
      });
    }
    const exclusions = (obj.spec.exclusionList as string[] | undefined) ?? ['^.*\\.sig$'];
    const tags = excludeTags(found, exclusions);
    const checksum = String(adler32(JSON.stringify(tags)));
    const latest = latestTags(tags);
    return this.finish(obj, run, 'Succeeded', (c, s) => {
      s.canonicalImageName = canonical;
      s.lastScanResult = { ...(this.minor >= 7 ? { revision: checksum } : {}), tagCount: tags.length, scanTime: now(), ...(latest.length ? { latestTags: latest } : {}) };
      s.observedExclusionList = exclusions;
      c.set('Ready', 'True', 'Succeeded', this.minor >= 7 ? `successful scan: found ${tags.length} tags with checksum ${checksum}` : `successful scan: found ${tags.length} tags`);
    }, checksum);
  }
}

export class ImagePolicyReconciler extends ImageReconciler<ImagePolicy> {
  private readonly scans = new Map<string, string>();

  constructor(private readonly world: World) {
    super(world.engine, 'ImagePolicy', 'image-reflector-controller');
  }

  override start(): void {
    // A new scan of the referenced ImageRepository re-evaluates the policy.
    this.watch(resourceOf('ImageRepository'), (type, repo) => {
      const k = `${repo.metadata.namespace}/${repo.metadata.name}`;
      const scan = JSON.stringify(repo.status?.lastScanResult ?? null);
      if (type === 'DELETED' || this.scans.get(k) === scan) return;
      this.scans.set(k, scan);
      for (const p of this.cluster.list<ImagePolicy>(this.resource)) {
        const ref = p.spec.imageRepositoryRef;
        if (ref.name === repo.metadata.name && (ref.namespace ?? p.metadata.namespace) === repo.metadata.namespace) this.enqueue(p.metadata.namespace!, p.metadata.name, 'source');
      }
    });
    super.start();
  }

  protected async reconcile(obj: ImagePolicy, run: Run): Promise<Result> {
    await this.begin(obj);
    const scripted = this.scriptedOr(obj, run);
    if (scripted) return scripted;
    const ref = obj.spec.imageRepositoryRef;
    const repo = this.cluster.get<ImageRepository>(resourceOf('ImageRepository'), ref.namespace ?? obj.metadata.namespace, ref.name);
    if (!repo) {
      const message = `failed to get the referred ImageRepository: referenced ImageRepository does not exist: ${resourceOf('ImageRepository')} "${ref.name}" not found`;
      return this.finish(obj, run, 'Waiting', (c) => c.set('Ready', 'False', 'DependencyNotReady', message));
    }
    const tags = repo.status?.lastScanResult ? excludeTags(this.world.registry.tags(repo.spec.image) ?? []) : [];
    if (tags.length === 0) return this.finish(obj, run, 'Waiting', (c) => c.set('Ready', 'False', 'DependencyNotReady', 'retrying in 30s error: no tags in database'));
    const picked = selectTag(obj.spec, tags);
    if ('error' in picked) return this.finish(obj, run, 'Failed', (c) => c.set('Ready', 'False', 'ReconciliationFailed', picked.error));
    return this.finish(obj, run, 'Succeeded', (c, s) => c.set('Ready', 'True', 'Succeeded', this.record(s, repo.spec.image, picked.tag)), picked.tag);
  }

  /** Writes the selected image in this release's shape; returns the Ready message. */
  private record(s: FluxStatus, image: string, tag: string): string {
    const prevRef = s.latestRef as { name: string; tag: string } | undefined;
    const prevImage = s.latestImage as string | undefined;
    const latestRef = { name: image, tag };
    if (this.minor <= 6) {
      if (prevImage && prevImage !== `${image}:${tag}`) s.observedPreviousImage = prevImage;
      s.latestImage = `${image}:${tag}`;
    }
    if (this.minor >= 6) {
      if (prevRef && (prevRef.name !== image || prevRef.tag !== tag)) s.observedPreviousRef = prevRef;
      s.latestRef = latestRef;
      const prev = s.observedPreviousRef as { name: string; tag: string } | undefined;
      const changed = prev && (prev.name !== image || prev.tag !== tag);
      return `Latest image tag for ${image} resolved to ${tag}${changed ? ` (previously ${prev.name}:${prev.tag})` : ''}`;
    }
    const prevTag = prevImage?.slice(prevImage.lastIndexOf(':') + 1);
    return prevTag && prevTag !== tag ? `Latest image tag for '${image}' updated from ${prevTag} to ${tag}` : `Latest image tag for '${image}' resolved to ${tag}`;
  }
}

export class ImageUpdateAutomationReconciler extends ImageReconciler<ImageUpdateAutomation> {
  constructor(world: World) {
    super(world.engine, 'ImageUpdateAutomation', 'image-automation-controller');
  }

  protected async reconcile(obj: ImageUpdateAutomation, run: Run): Promise<Result> {
    await this.begin(obj);
    const scripted = this.scriptedOr(obj, run);
    if (scripted) return scripted;
    const ref = obj.spec.sourceRef;
    const src = this.cluster.get<GitRepository>(resourceOf('GitRepository'), ref.namespace ?? obj.metadata.namespace, ref.name);
    const artifact = src?.status?.artifact as Artifact | undefined;
    if (!artifact) {
      const message = `referenced source ${ref.namespace ?? obj.metadata.namespace}/${ref.name} is not ready`;
      return this.finish(obj, run, 'Waiting', (c) => c.set('Ready', 'False', 'SourceNotReady', message));
    }
    const policies = this.cluster.list<ImagePolicy>(resourceOf('ImagePolicy'), obj.metadata.namespace).filter((p) => matches(p, obj.spec.policySelector?.matchLabels));
    return this.finish(obj, run, 'Succeeded', (c, s) => {
      s.lastAutomationRunTime = now();
      if (this.minor >= 3) s.observedSourceRevision = artifact.revision;
      if (this.minor >= 3) {
        s.observedPolicies = Object.fromEntries(policies.flatMap((p) => (p.status?.latestRef ? [[p.metadata.name, p.status.latestRef]] : [])));
      }
      c.set('Ready', 'True', 'Succeeded', 'repository up-to-date');
    }, artifact.revision);
  }
}

function matches(p: ImagePolicy, selector: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v);
}
