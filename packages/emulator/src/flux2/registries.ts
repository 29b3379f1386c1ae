// The outside world the helm and image controllers talk to: Helm chart repositories (what a
// chart version renders, given a release) and container registries (which tags an image has).
import { compareSemver, parseSemver, satisfies } from '../fluxd/semver.js';
import type { Manifest } from './types.js';

export interface ReleaseInput {
  name: string;
  namespace: string;
  values: Record<string, unknown>;
}

export interface ChartVersion {
  name: string;
  version: string;
  appVersion?: string;
  /** The manifests `helm template` would produce for a release. */
  render(release: ReleaseInput): Manifest[];
}

export class ChartRepository {
  private readonly charts = new Map<string, ChartVersion[]>();

  constructor(readonly url: string) {}

  /** Publishes a chart version. */
  chart(name: string, version: string, render: ChartVersion['render'], appVersion?: string): this {
    const list = this.charts.get(name) ?? [];
    this.charts.set(name, [...list.filter((c) => c.version !== version), { name, version, render, ...(appVersion ? { appVersion } : {}) }]);
    return this;
  }

  /** The newest version matching a semver range (`*` when empty), as Helm's index lookup picks it. */
  find(name: string, range = '*'): ChartVersion | { error: string } {
    const list = this.charts.get(name);
    if (!list) return { error: `no chart name found` };
    const exact = list.find((c) => c.version === range);
    if (exact) return exact;
    const matching = list.filter((c) => satisfies(c.version, range) === true);
    matching.sort((a, b) => compareSemver(parseSemver(b.version)!, parseSemver(a.version)!));
    return matching[0] ?? { error: `no '${name}' chart with version matching '${range}' found` };
  }
}

export class ChartRepositories {
  private readonly repos = new Map<string, ChartRepository>();

  repo(url: string): ChartRepository {
    let r = this.repos.get(url);
    if (!r) {
      r = new ChartRepository(url);
      this.repos.set(url, r);
    }
    return r;
  }

  find(url: string): ChartRepository | undefined {
    return this.repos.get(url);
  }
}

/** go-containerregistry's repository name: Docker Hub defaults, `library/` for official images. */
export function canonicalImageName(image: string): string {
  let repo = image.replace(/@.*$/, '');
  const lastSlash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  if (colon > lastSlash) repo = repo.slice(0, colon);
  const parts = repo.split('/');
  const first = parts[0]!;
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first : 'index.docker.io';
  let path = hasRegistry ? parts.slice(1).join('/') : repo;
  if (registry === 'docker.io') registry = 'index.docker.io';
  if (registry === 'index.docker.io' && !path.includes('/')) path = `library/${path}`;
  return `${registry}/${path}`;
}

/** Image tags per repository, keyed by canonical name. */
export class ImageRegistry {
  private readonly repos = new Map<string, string[]>();

  setTags(image: string, tags: string[]): void {
    this.repos.set(canonicalImageName(image), [...tags]);
  }

  addTags(image: string, ...tags: string[]): void {
    const name = canonicalImageName(image);
    this.repos.set(name, [...new Set([...(this.repos.get(name) ?? []), ...tags])]);
  }

  tags(image: string): string[] | undefined {
    const t = this.repos.get(canonicalImageName(image));
    return t && [...t];
  }
}
