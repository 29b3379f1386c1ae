import { fingerprintHash } from './fingerprint.js';
import { IDENTITY, IDENTITY_PUB, type DeploySecret } from './identity-secret.js';
import { publicKeyFromPrivateKey } from './private-key.js';
import { formatPublicKeyLine, parsePublicKeyLine, SshKeyError, type SshPublicKey } from './ssh-key.js';

/** The deploy key a Secret holds: the line to print and the parsed key behind it. */
export interface CurrentKey {
  /** The `identity.pub` key line as stored, trimmed; `<type> <base64>` when derived from `identity`. */
  line: string;
  key: SshPublicKey;
  /** Problems the user should fix, e.g. an `identity.pub` that does not match `identity`. */
  warnings: string[];
}

/**
 * The Secret's public deploy key: its `identity.pub` line, else (a Secret made by hand with
 * only `identity` and `known_hosts`) the public half of `identity`. source-controller never
 * reads `identity.pub`; it offers `identity`, so when both are there they are checked against
 * each other. undefined when the Secret holds neither.
 */
export function currentKey(secret: DeploySecret, debug: (message: string) => void): CurrentKey | undefined {
  const where = `Secret ${secret.metadata.namespace}/${secret.metadata.name}`;
  const text = secret.identityPub;
  const stored = storedLine(text);
  const derive = (): SshPublicKey | undefined =>
    secret.identity === undefined ? undefined : publicKeyFromPrivateKey(secret.identity, secret.password, `${IDENTITY} in ${where}`);
  if (text === undefined || stored === undefined) {
    const key = derive();
    return key === undefined ? undefined : { line: formatPublicKeyLine({ type: key.type, blob: key.blob }), key, warnings: [] };
  }
  let key: SshPublicKey;
  try {
    key = parsePublicKeyLine(text, `${IDENTITY_PUB} in ${where}`);
  } catch (e) {
    const fallback = secret.identity === undefined ? undefined : tryDerive(derive, debug);
    if (fallback === undefined) throw e;
    const line = formatPublicKeyLine({ type: fallback.type, blob: fallback.blob });
    return { line, key: fallback, warnings: [`${(e as Error).message}; showing the public key of '${IDENTITY}' instead`] };
  }
  const offered = secret.identity === undefined ? undefined : tryDerive(derive, debug);
  const warnings = offered === undefined || offered.blob.equals(key.blob) ? [] : [mismatch(where, offered)];
  return { line: stored, key, warnings };
}

/** The key line of an `identity.pub` text (blank and `#` lines skipped, as ssh-keygen does), trimmed. */
function storedLine(text: string | undefined): string | undefined {
  return text?.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#'));
}

/**
 * The public half of `identity`, or undefined when Node cannot read it (a format only Go reads,
 * a missing passphrase): the stored line is then shown unchecked, as before.
 */
function tryDerive(derive: () => SshPublicKey | undefined, debug: (message: string) => void): SshPublicKey | undefined {
  try {
    return derive();
  } catch (e) {
    if (!(e instanceof SshKeyError)) throw e;
    debug(`cannot check identity.pub against identity: ${e.message}`);
    return undefined;
  }
}

function mismatch(where: string, offered: SshPublicKey): string {
  return (
    `${IDENTITY_PUB} in ${where} does not match its '${IDENTITY}', which is the key source-controller offers ` +
    `(SHA256:${fingerprintHash(offered.blob, 'sha256')}): the git host must know ${formatPublicKeyLine({ type: offered.type, blob: offered.blob })}`
  );
}
