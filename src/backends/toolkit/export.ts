import { UnsupportedError } from '../../errors.js';
import type { Session } from './session.js';

// Placeholder until the Flux v2 save lands (same commit series).
export async function exportManifests(_s: Session): Promise<string> {
  throw new UnsupportedError('save is not available on Flux v2 yet');
}
