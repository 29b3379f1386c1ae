/** Texts git and the controllers use when the host refuses the key (ssh, go-git, libgit2). */
const AUTH_FAILURE = /permission denied|publickey|handshake failed|authenticat|unable to authenticate|could not read from remote|access denied|authorization failed/i;

export const looksLikeAuthFailure = (text: string): boolean => AUTH_FAILURE.test(text);

/** owner/repo path and host of an scp-like (`git@host:path`) or URL-form git remote. */
function remoteOf(url: string): { host: string; path: string } | undefined {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(url);
  if (scp !== null && !url.includes('://')) return { host: scp[1] ?? '', path: scp[2] ?? '' };
  try {
    const u = new URL(url);
    return { host: u.hostname, path: u.pathname.replace(/^\//, '') };
  } catch {
    return undefined;
  }
}

/** Where the key goes on the host: GitHub, GitLab and Bitbucket have a page per repository. */
export function deployKeyPage(url: string): string {
  const r = remoteOf(url);
  const path = r?.path.replace(/\.git$/, '').replace(/\/$/, '') ?? '';
  switch (r?.host) {
    case 'github.com':
      return `https://github.com/${path}/settings/keys`;
    case 'gitlab.com':
      return `https://gitlab.com/${path}/-/settings/repository (Deploy keys)`;
    case 'bitbucket.org':
      return `https://bitbucket.org/${path}/admin/access-keys/`;
    default:
      return `the deploy keys page of ${r?.host ?? 'your git host'}`;
  }
}

/** The fix for a refused key: print it, add it with write access. */
export function authHint(url: string): string {
  return `add the deploy key that fluxctl identity prints, with write access, at ${deployKeyPage(url)}`;
}
