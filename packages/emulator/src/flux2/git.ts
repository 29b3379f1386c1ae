// An emulated git host: repositories with branches, tags and commits whose trees hold
// Kubernetes manifests. Commit ids are SHA-1s of the content and history, so the same test
// produces the same revisions on every run. The host also decides who may clone: SSH
// deploy keys (as a provider bootstrap registers them) or HTTPS basic credentials.
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import { compareSemver, parseSemver, satisfies } from '../fluxd/semver.js';
import { authorizedKey, generateSshKey } from './ssh-keys.js';

/** A file: Kubernetes objects (written as a multi-document YAML file) or raw text. null deletes. */
export type GitFile = object[] | string | null;

export interface GitCommit {
  sha: string;
  parent?: string;
  message: string;
  /** path → file text */
  tree: Map<string, string>;
}

/** GitRepository `spec.ref`. */
export interface GitRef {
  branch?: string;
  tag?: string;
  semver?: string;
  name?: string;
  commit?: string;
}

export type Resolved = { sha: string; revision: string } | { error: string };

export interface CommitOptions {
  branch?: string;
  message?: string;
  /** Start from an empty tree instead of the branch head's. */
  replace?: boolean;
}

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

export class GitRepo {
  private readonly commits = new Map<string, GitCommit>();
  private readonly branches = new Map<string, string>();
  private readonly tags = new Map<string, string>();
  /** Authorized SSH public keys (`<type> <base64>`); empty means any key the host accepts. */
  readonly deployKeys = new Set<string>();
  /** HTTPS basic credentials; undefined means anonymous access works. */
  credentials: { username: string; password: string } | undefined;

  constructor(readonly url: string) {}

  /** Adds a commit on a branch (default `main`, created if missing) and returns its sha. */
  commit(files: Record<string, GitFile>, opts: CommitOptions = {}): string {
    const branch = opts.branch ?? 'main';
    const parent = this.branches.get(branch);
    const tree = new Map(opts.replace || !parent ? [] : this.commits.get(parent)!.tree);
    for (const [path, content] of Object.entries(files)) {
      const clean = path.replace(/^\.?\//, '');
      if (content === null) tree.delete(clean);
      else tree.set(clean, typeof content === 'string' ? content : content.map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'));
    }
    const message = opts.message ?? `Update ${Object.keys(files).join(', ')}`;
    const listing = [...tree].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, t]) => `${p} ${sha1(t)}`).join('\n');
    const sha = sha1(`tree ${sha1(listing)}\nparent ${parent ?? ''}\nbranch ${branch}\n\n${message}`);
    this.commits.set(sha, { sha, ...(parent ? { parent } : {}), message, tree });
    this.branches.set(branch, sha);
    return sha;
  }

  /** Creates or moves a branch to the head of another branch or a commit. */
  branch(name: string, from = 'main'): string {
    const sha = this.branches.get(from) ?? (this.commits.has(from) ? from : undefined);
    if (!sha) throw new Error(`no branch or commit ${from} in ${this.url}`);
    this.branches.set(name, sha);
    return sha;
  }

  /** Tags the head of a branch (default main) or a commit. */
  tag(name: string, ref = 'main'): string {
    const sha = this.branches.get(ref) ?? (this.commits.has(ref) ? ref : undefined);
    if (!sha) throw new Error(`no branch or commit ${ref} in ${this.url}`);
    this.tags.set(name, sha);
    return sha;
  }

  head(branch = 'main'): string | undefined {
    return this.branches.get(branch);
  }

  get(sha: string): GitCommit | undefined {
    return this.commits.get(sha);
  }

  /** What a clone of `ref` checks out, with the revision string source-controller records. */
  resolve(ref: GitRef | undefined): Resolved {
    const r = ref ?? {};
    if (r.commit && !r.branch && !r.tag && !r.semver && !r.name) {
      return this.commits.has(r.commit) ? { sha: r.commit, revision: `sha1:${r.commit}` } : { error: `unable to resolve commit object for '${r.commit}': object not found` };
    }
    if (r.name) return this.named(r.name);
    if (r.semver) return this.semver(r.semver);
    if (r.tag) {
      const sha = this.tags.get(r.tag);
      return sha ? { sha, revision: `${r.tag}@sha1:${sha}` } : { error: `couldn't find remote ref "refs/tags/${r.tag}"` };
    }
    const branch = r.branch ?? 'master';
    const head = this.branches.get(branch);
    if (!head) return { error: `couldn't find remote ref "refs/heads/${branch}"` };
    const sha = r.commit ?? head;
    if (!this.commits.has(sha)) return { error: `unable to resolve commit object for '${sha}': object not found` };
    return { sha, revision: `${branch}@sha1:${sha}` };
  }

  private named(name: string): Resolved {
    const short = name.replace(/^refs\/(heads|tags)\//, '');
    const sha = name.startsWith('refs/tags/') ? this.tags.get(short) : this.branches.get(short);
    return sha ? { sha, revision: `${name}@sha1:${sha}` } : { error: `couldn't find remote ref "${name}"` };
  }

  private semver(range: string): Resolved {
    const matching = [...this.tags.keys()].filter((t) => satisfies(t, range) === true);
    matching.sort((a, b) => compareSemver(parseSemver(b)!, parseSemver(a)!));
    const best = matching[0];
    return best ? { sha: this.tags.get(best)!, revision: `${best}@sha1:${this.tags.get(best)!}` } : { error: `no match found for semver: ${range}` };
  }

  /** Files of a commit under a directory (recursively, as kustomize-controller's generated kustomization does). */
  files(sha: string, dir = '.'): Array<{ path: string; text: string }> {
    const prefix = dir.replace(/^\.?\/?/, '').replace(/\/?$/, '/');
    const all = [...(this.commits.get(sha)?.tree ?? [])].sort(([a], [b]) => (a < b ? -1 : 1));
    return all.filter(([p]) => prefix === '/' || p.startsWith(prefix)).map(([path, text]) => ({ path, text }));
  }

  /** One file's text in a commit. */
  read(sha: string, path: string): string | undefined {
    return this.commits.get(sha)?.tree.get(path.replace(/^\.?\//, ''));
  }

  /** Does a directory exist in a commit (some file lives under it)? */
  hasDir(sha: string, dir: string): boolean {
    return this.files(sha, dir).length > 0;
  }

  /** Lets an SSH public key (`<type> <base64>[ comment]`) clone, as a deploy key would. */
  authorize(publicKey: string): void {
    this.deployKeys.add(publicKey.trim().split(/\s+/).slice(0, 2).join(' '));
  }

  revoke(publicKey: string): void {
    this.deployKeys.delete(publicKey.trim().split(/\s+/).slice(0, 2).join(' '));
  }
}

/** All repositories of the emulated git host(s), by URL. */
export class GitServer {
  private readonly repos = new Map<string, GitRepo>();
  private readonly hostKeys = new Map<string, string>();

  /** The repository at a URL, created empty on first use. */
  repo(url: string): GitRepo {
    let r = this.repos.get(url);
    if (!r) {
      r = new GitRepo(url);
      this.repos.set(url, r);
    }
    return r;
  }

  find(url: string): GitRepo | undefined {
    return this.repos.get(url);
  }

  /** The host key an SSH server at this URL's host offers (`<type> <base64>`), like GitHub's ECDSA P-256 one. */
  hostKey(url: string): string {
    const host = new URL(url).host;
    let key = this.hostKeys.get(host);
    if (!key) {
      key = authorizedKey(generateSshKey('ecdsa-p256').privateKey);
      this.hostKeys.set(host, key);
    }
    return key;
  }
}
