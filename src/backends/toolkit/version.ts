import { UnsupportedError } from '../../errors.js';
import type { Session } from './session.js';

// Placeholder until the Flux v2 version --server lands (same commit series).
export async function serverVersion(_s: Session): Promise<string> {
  throw new UnsupportedError('version --server is not available on Flux v2 yet');
}
